import type { Change } from '../../approvals/types.js';
import type { ApplyReport } from '../../membership/types.js';
import { formatCount } from '../text/format-count.js';
import { formatQuantity } from '../text/pluralize.js';
import { describeActor } from '../text/slack-actor.js';
import { type Block, context, plainFallback, type SlackMessage, section } from './blocks.js';
import { fallbackGroupName, groupName, people } from './change-wording.js';
import { fitItems, fitLines, personLabel } from './name-list.js';
import { failureLine } from './result-message.js';
import { whenText } from './term-wording.js';

/** A removal that started this long after the end is announced as late (the bot was stopped, or failing). */
export const LATE_AFTER_MS = 5 * 60_000;

export type AccessEndedProps = {
  change: Pick<Change, 'id' | 'group' | 'createdAt' | 'appliedAt' | 'expiry'>;
  report: ApplyReport;
};

/**
 * The announcement of a due removal (SPEC §4.6): "⌛ Access ended: removed 3 people from Design, added 30 days
 * ago by …, approved by …", how late if the bot was stopped at the end time, who was already gone, who
 * could not be removed (tried again at the next sweep). No Undo: an administrator adds people back with --for.
 */
export function accessEndedMessage(props: AccessEndedProps): SlackMessage {
  const { change, report } = props;
  const removed = report.outcomes.filter((o) => o.outcome === 'removed');
  const gone = report.outcomes.filter((o) => o.outcome === 'not_member');
  const failed = report.outcomes.filter((o) => o.outcome === 'failed');
  const origin = originPhrase(change);
  const lead =
    removed.length > 0
      ? `:hourglass: Access ended: removed ${people(removed.length)} from ${groupName(change.group)}${origin}.`
      : `:hourglass: Access ended in ${groupName(change.group)}${origin}: nobody had to be removed.`;
  const blocks: Block[] = [section(lead)];
  if (removed.length > 0)
    blocks.push(
      section(
        `*Removed:* ${
          fitItems(
            removed.map((o) => personLabel(o.user)),
            2600,
          ).text
        }`,
      ),
    );
  if (gone.length > 0) {
    blocks.push(
      section(
        `*Already gone from Kantata (${formatCount(gone.length)}):* ${
          fitItems(
            gone.map((o) => personLabel(o.user)),
            1500,
          ).text
        }`,
      ),
    );
  }
  if (failed.length > 0) {
    const tries = Math.max(...failed.map((o) => failuresOf(change, o.user.id) + 1));
    blocks.push(
      section(
        `*Could not be removed (${formatCount(failed.length)}), tried ${formatQuantity(tries, 'time', 'times')}; ` +
          `tried again at every sweep until it works:*\n${fitLines(failed.map(failureLine), 2200).text}`,
      ),
    );
  }
  const late = lateness(change);
  if (late)
    blocks.push(
      context(
        `:warning: ${late} late: the bot was not running (or could not act) when this access ended at ${whenText(change.expiry!.dueAt)}.`,
      ),
    );
  blocks.push(context(`Ended by the bot at the end date · change \`${change.id}\``));
  const fallback =
    removed.length > 0
      ? `Access ended: removed ${people(removed.length)} from ${fallbackGroupName(change.group)}.`
      : `Access ended in ${fallbackGroupName(change.group)}.`;
  return { text: plainFallback(fallback), blocks };
}

function failuresOf(change: AccessEndedProps['change'], userId: string): number {
  return change.expiry?.ends.find((end) => end.userId === userId)?.failures ?? 0;
}

/** ", added 30 days ago by @ann, approved by @bob" when everyone shares it; else who added most of them. */
function originPhrase(change: AccessEndedProps['change']): string {
  const ends = change.expiry?.ends ?? [];
  if (ends.length === 0) return '';
  const at = Date.parse(change.appliedAt ?? change.createdAt);
  const earliest = Math.min(...ends.map((end) => Date.parse(end.addedAt)));
  const adders = new Set(ends.map((end) => end.addedBy.slackUserId));
  const approvers = new Set(ends.map((end) => end.approvedBy?.slackUserId ?? ''));
  const ago = ` ${agoText(at - earliest)} ago`;
  if (adders.size > 1) return `, added${ago} by several people`;
  const by = describeActor(ends[0]!.addedBy);
  const approver =
    approvers.size === 1 && ends[0]!.approvedBy ? describeActor(ends[0]!.approvedBy) : undefined;
  return `, added${ago}${by ? ` by ${by}` : ''}${approver ? `, approved by ${approver}` : ''}`;
}

function agoText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return formatQuantity(minutes, 'minute', 'minutes');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return formatQuantity(hours, 'hour', 'hours');
  return formatQuantity(Math.round(hours / 24), 'day', 'days');
}

/** "2 hours" when the removal started LATE_AFTER_MS or more after the end. */
export function lateness(change: Pick<Change, 'createdAt' | 'expiry'>): string | undefined {
  if (!change.expiry) return undefined;
  const late = Date.parse(change.createdAt) - Date.parse(change.expiry.dueAt);
  return late >= LATE_AFTER_MS ? agoText(late) : undefined;
}
