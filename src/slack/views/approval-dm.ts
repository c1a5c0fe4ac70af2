import type { Change } from '../../approvals/types.js';
import { describeActor } from '../text/slack-actor.js';
import { slackDate } from '../text/slack-date.js';
import { requestWhat } from './approval-card.js';
import { type Block, context, plainFallback, type SlackMessage, section } from './blocks.js';
import { reasonText } from './change-wording.js';
import { headline, outcomeBlocks } from './result-message.js';
import { unresolvedSections } from './unresolved-section.js';

export type RequesterDmProps = {
  change: Pick<
    Change,
    | 'id'
    | 'status'
    | 'action'
    | 'group'
    | 'plan'
    | 'decidedBy'
    | 'decidedAt'
    | 'decisionReason'
    | 'expiresAt'
    | 'report'
  >;
};

/**
 * The direct message a requester gets for every outcome of their request (SPEC §4.3): applied (with the
 * per-person result), denied (with the reason), expired, withdrawn. Null while there is no outcome yet.
 */
export function requesterDm({ change }: RequesterDmProps): SlackMessage | null {
  const what = requestWhat(change);
  const by = describeActor(change.decidedBy) ?? 'an administrator';
  const footer = context(`change \`${change.id}\``);
  switch (change.status) {
    case 'applied':
    case 'partially_applied':
    case 'failed': {
      const report = change.report;
      // The headline is plain text with the group's name in it: escaped for mrkdwn.
      const result = report ? headline({ change, report }, { mrkdwn: true }) : 'It was attempted';
      const mark = change.status === 'applied' ? '✅' : '⚠️';
      const blocks: Block[] = [section(`${mark} Your request to ${what} was approved by ${by}. ${result}.`)];
      if (report) blocks.push(...outcomeBlocks(report), ...unresolvedSections(report.unresolved, 1500));
      blocks.push(footer);
      return { text: plainFallback(`Your request was approved: ${result}.`), blocks };
    }
    case 'denied': {
      const reason = change.decisionReason
        ? ` Reason: ${reasonText(change.decisionReason)}`
        : ' No reason was given.';
      return {
        text: plainFallback('Your request was denied.'),
        blocks: [section(`❌ Your request to ${what} was denied by ${by}.${reason}`), footer],
      };
    }
    case 'expired': {
      const when = slackDate(change.expiresAt);
      return {
        text: plainFallback('Your request expired.'),
        blocks: [
          section(
            `⌛ Your request to ${what} expired${when ? ` ${when}` : ''} before an administrator decided. ` +
              'Nothing was changed; send it again if it is still needed.',
          ),
          footer,
        ],
      };
    }
    case 'cancelled':
      return {
        text: plainFallback('You withdrew your request.'),
        blocks: [section(`🚫 You withdrew your request to ${what}. Nothing was changed.`), footer],
      };
    default:
      return null;
  }
}
