import type { ChangeAction, Group, PersonOutcomeKind } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatQuantity } from '../text/pluralize.js';
import { truncateText } from '../text/truncate-text.js';

/** Words shared by the preview, the result and the notification, so they always say the same thing. */
export const OUTCOME_TITLES: Record<PersonOutcomeKind, string> = {
  added: 'Added',
  already_member: 'Already members',
  removed: 'Removed',
  not_member: 'Not members',
  failed: 'Failed',
};

export function people(n: number): string {
  return formatQuantity(n, 'person', 'people');
}

/** The group's name for mrkdwn: bold, escaped, cut. */
export function groupName(group: Group): string {
  return `*${escapeMrkdwn(truncateText(group.name, 100))}*`;
}

/** The group's name for plain_text (headers, confirm dialogs): Slack shows it literally. */
export function plainGroupName(group: Group): string {
  return truncateText(group.name, 100);
}

/** The group's name for a message's fallback `text`, which Slack reads as mrkdwn: a name must not ping. */
export function fallbackGroupName(group: Group): string {
  return escapeMrkdwn(plainGroupName(group));
}

/** "add 3 people to" / "remove 3 people from". */
export function actionPhrase(action: ChangeAction, n: number): string {
  return action === 'add' ? `add ${people(n)} to` : `remove ${people(n)} from`;
}

export function toOrFrom(action: ChangeAction): string {
  return action === 'add' ? 'to' : 'from';
}

/** A reason someone typed, escaped and cut; shown after "Reason:". */
export function reasonText(reason: string): string {
  return escapeMrkdwn(truncateText(reason.replace(/\s+/g, ' ').trim(), 500));
}
