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

/** "add 3 people to" / "remove 3 people from" / "change 3 people in" (a sync, both directions). */
export function actionPhrase(action: ChangeAction, n: number): string {
  if (action === 'sync') return `change ${people(n)} in`;
  return action === 'add' ? `add ${people(n)} to` : `remove ${people(n)} from`;
}

export function toOrFrom(action: ChangeAction): string {
  if (action === 'sync') return 'in';
  return action === 'add' ? 'to' : 'from';
}

/** "Adding" / "Removing" / "Syncing", for progress lines. */
export function progressVerb(action: ChangeAction): string {
  return action === 'add' ? 'Adding' : action === 'remove' ? 'Removing' : 'Syncing';
}

/** The outcomes that count as a change of membership for this action (a sync has both). */
export function changedKinds(action: ChangeAction): PersonOutcomeKind[] {
  return action === 'add' ? ['added'] : action === 'remove' ? ['removed'] : ['added', 'removed'];
}

/** "Already members" / "Not members": the people an action found in the wanted state already. */
export function unchangedWords(action: ChangeAction): string {
  return action === 'remove' ? 'not members' : action === 'add' ? 'already members' : 'unchanged';
}

/**
 * What a change does to which group, for headers and sentences: "add 3 people to Design", or for a sync
 * "sync Design from @design-team (add 4 people, remove 2 people)". `name` is the group's name already
 * formatted for where it goes (plain text or mrkdwn); the source label is escaped by `sourceText`.
 */
export function changePhrase(
  change: {
    action: ChangeAction;
    plan: { toChange: readonly unknown[]; toRemove?: readonly unknown[] };
    syncSource?: { label: string };
    status?: string;
    standingSync?: { brake?: { reason: string } };
  },
  name: string,
  format: 'plain' | 'mrkdwn',
): string {
  if (change.action !== 'sync') return `${actionPhrase(change.action, change.plan.toChange.length)} ${name}`;
  const from = change.syncSource ? ` from ${sourceText(change.syncSource.label, format)}` : '';
  // A held run whose source could not be read planned nothing yet: "add 0, remove 0" would mislead.
  if (change.status === 'pending' && change.standingSync?.brake?.reason === 'unreadable_source')
    return `sync ${name}${from} (the source could not be read)`;
  return `sync ${name}${from} (${syncCounts(change.plan)})`;
}

/** A sync source's label (`@design-team`, `#proj-apollo`, a file name) as text that cannot ping or link. */
export function sourceText(label: string, format: 'plain' | 'mrkdwn'): string {
  const cut = truncateText(label, 80);
  return format === 'plain' ? cut : escapeMrkdwn(cut);
}

/** "add 4, remove 2": what a sync does, in short. */
export function syncCounts(plan: { toChange: readonly unknown[]; toRemove?: readonly unknown[] }): string {
  return `add ${people(plan.toChange.length)}, remove ${people(plan.toRemove?.length ?? 0)}`;
}

/** A reason someone typed, escaped and cut; shown after "Reason:". */
export function reasonText(reason: string): string {
  return escapeMrkdwn(truncateText(reason.replace(/\s+/g, ' ').trim(), 500));
}
