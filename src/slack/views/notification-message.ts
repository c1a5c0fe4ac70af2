import type { Change } from '../../approvals/types.js';
import type { ApplyReport } from '../../membership/types.js';
import { ACTION } from '../ids.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
import { accessEndedMessage } from './access-ended-message.js';
import { actions, type Block, button, context, plainFallback, type SlackMessage, section } from './blocks.js';
import {
  changedKinds,
  groupName,
  OUTCOME_TITLES,
  people,
  reasonText,
  sourceText,
  toOrFrom,
  unchangedWords,
} from './change-wording.js';
import { fitItems, fitLines, personLabel } from './name-list.js';
import { countOutcomes, failureLine, headline } from './result-message.js';
import { appliedTermLine } from './term-wording.js';

/** More names than this go into a thread reply (SPEC §4.4). */
export const NAMES_IN_MESSAGE = 20;

export type NotificationProps = {
  change: Pick<
    Change,
    'id' | 'action' | 'group' | 'reason' | 'requestedBy' | 'appliedBy' | 'decidedBy' | 'undoOf'
  > &
    Partial<Pick<Change, 'term' | 'appliedAt' | 'expiry' | 'createdAt' | 'syncSource'>>;
  report: ApplyReport;
  /** The Undo button is shown while UNDO_WINDOW lasts (decided by the caller, who has the clock). */
  undoAvailable: boolean;
};

/** Whether the names are too many for the channel message and go into the thread. */
export function namesGoToThread(report: ApplyReport): boolean {
  const { changed, failed } = countOutcomes(report.outcomes);
  return changed + failed > NAMES_IN_MESSAGE;
}

/**
 * The channel notification of an applied change: who, which group, how many with their names (or "in the
 * thread"), requested by, approved by, reason, failures, and Undo while it lasts.
 */
export function notificationMessage(props: NotificationProps): SlackMessage {
  const { change, report } = props;
  // The end of temporary memberships has its own announcement, and no Undo (SPEC §4.6).
  if (change.expiry) {
    const createdAt = change.createdAt ?? change.expiry.dueAt;
    return accessEndedMessage({ change: { ...change, createdAt, expiry: change.expiry }, report });
  }
  const counts = countOutcomes(report.outcomes);
  const by = describeActor(change.appliedBy) ?? describeActor(change.requestedBy) ?? 'Someone';
  const kinds = changedKinds(change.action);
  const verb = change.action === 'add' ? 'added' : change.action === 'remove' ? 'removed' : 'changed';
  const lead = change.action === 'sync' ? syncLead(by, props) : leadOf(by, verb, counts.changed, change);
  const blocks: Block[] = [section(`${change.undoOf ? ':leftwards_arrow_with_hook: Undo: ' : ''}${lead}.`)];
  const term = appliedTermLine(change);
  if (term && counts.changed + counts.unchanged > 0) blocks.push(section(term));

  const inThread = namesGoToThread(report);
  if (!inThread) {
    for (const kind of kinds) {
      const changed = report.outcomes.filter((o) => o.outcome === kind).map((o) => personLabel(o.user));
      if (changed.length > 0) {
        blocks.push(section(`*${OUTCOME_TITLES[kind]}:* ${fitItems(changed, 2600 / kinds.length).text}`));
      }
    }
    const failed = report.outcomes.filter((o) => o.outcome === 'failed');
    if (failed.length > 0) {
      blocks.push(
        section(`*Failed (${formatCount(failed.length)}):*\n${fitLines(failed.map(failureLine), 2400).text}`),
      );
    }
  } else {
    const failed = counts.failed > 0 ? `, ${formatCount(counts.failed)} failed` : '';
    blocks.push(section(`${people(counts.changed)} ${verb}${failed}: the names are in the thread.`));
  }
  const skipped = counts.unchanged + report.unresolved.length;
  if (skipped > 0) {
    const unchanged = unchangedWords(change.action);
    blocks.push(
      context(
        `Left out: ${formatCount(counts.unchanged)} ${unchanged}, ${formatCount(report.unresolved.length)} not resolved.`,
      ),
    );
  }
  if (change.reason) blocks.push(section(`*Reason:* ${reasonText(change.reason)}`));
  blocks.push(context(whoLine(change)));
  if (props.undoAvailable && counts.changed > 0) {
    blocks.push(actions([button({ text: 'Undo', actionId: ACTION.changeUndo, value: change.id })]));
  }
  return { text: plainFallback(`${headline({ change, report }, { mrkdwn: true })}.`), blocks };
}

export { notificationThreadMessages } from './notification-thread.js';

function leadOf(by: string, verb: string, changed: number, change: NotificationProps['change']): string {
  const dir = toOrFrom(change.action);
  return changed > 0
    ? `${by} ${verb} ${people(changed)} ${dir} ${groupName(change.group)}`
    : `${by} tried to ${change.action} people ${dir} ${groupName(change.group)}; nobody was ${verb}`;
}

/** "@ada synced *Design* from @design-team: added 4 people, removed 2 people". */
function syncLead(by: string, { change, report }: NotificationProps): string {
  const added = report.outcomes.filter((o) => o.outcome === 'added').length;
  const removed = report.outcomes.filter((o) => o.outcome === 'removed').length;
  const from = change.syncSource ? ` from ${sourceText(change.syncSource.label, 'mrkdwn')}` : '';
  if (added + removed === 0)
    return `${by} tried to sync ${groupName(change.group)}${from}; nobody was changed`;
  return `${by} synced ${groupName(change.group)}${from}: added ${people(added)}, removed ${people(removed)}`;
}

function whoLine(change: NotificationProps['change']): string {
  const requested = describeActor(change.requestedBy);
  const approved = describeActor(change.decidedBy);
  const parts = [
    requested ? `Requested by ${requested}` : '',
    approved ? `approved by ${approved}` : 'applied directly by an administrator',
    `change \`${change.id}\``,
  ];
  return parts.filter(Boolean).join(' · ');
}
