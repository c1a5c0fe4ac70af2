import type { Change } from '../../approvals/types.js';
import { describeActor } from '../text/slack-actor.js';
import { plainFallback, type SlackMessage, section } from './blocks.js';
import { reasonText } from './change-wording.js';
import { namesGoToThread, notificationThreadMessages } from './notification-message.js';
import { resultMessage } from './result-message.js';

export type ApprovalThreadProps = {
  change: Pick<
    Change,
    | 'id'
    | 'status'
    | 'action'
    | 'group'
    | 'reason'
    | 'requestedBy'
    | 'appliedBy'
    | 'decidedBy'
    | 'decisionReason'
    | 'report'
    | 'undoOf'
  > &
    Partial<Pick<Change, 'standingSync'>>;
};

/**
 * The thread replies under an approval card once it is decided: the per-person result of an applied
 * request (every name, in as many replies as it takes), or who denied it and why, or that it expired or
 * was withdrawn.
 */
export function approvalThreadReplies({ change }: ApprovalThreadProps): SlackMessage[] {
  const by = describeActor(change.decidedBy) ?? 'an administrator';
  switch (change.status) {
    case 'applied':
    case 'partially_applied':
    case 'failed': {
      if (!change.report) return [];
      const result = resultMessage({ change, report: change.report });
      // The result lists as many names as fit; a large change also gets every name, reply by reply.
      return namesGoToThread(change.report)
        ? [result, ...notificationThreadMessages({ change, report: change.report })]
        : [result];
    }
    case 'denied': {
      if (change.standingSync?.brake) {
        return [
          { text: plainFallback('Skipped.'), blocks: [section(`Skipped by ${by}. Nothing was changed.`)] },
        ];
      }
      const reason = change.decisionReason
        ? `\n*Reason:* ${reasonText(change.decisionReason)}`
        : '\nNo reason given.';
      return [
        {
          text: plainFallback('Denied.'),
          blocks: [section(`Denied by ${by}. Nothing was changed.${reason}`)],
        },
      ];
    }
    case 'expired':
      return [
        {
          text: plainFallback('Expired.'),
          blocks: [
            section('Expired: no administrator decided within the time allowed. Nothing was changed.'),
          ],
        },
      ];
    case 'cancelled':
      return [
        {
          text: plainFallback('Withdrawn.'),
          blocks: [section('Withdrawn by the requester. Nothing was changed.')],
        },
      ];
    default:
      return [];
  }
}
