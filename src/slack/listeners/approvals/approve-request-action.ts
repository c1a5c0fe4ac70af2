import { deliverOwed } from '../../announce/announcer.js';
import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import { createCardProgress } from '../../approvals/card-progress.js';
import type { SlackContext } from '../../context.js';
import { readStandingSource } from '../../sync/standing-sync-jobs.js';
import { textMessage } from '../../views/blocks.js';
import { headline } from '../../views/result-message.js';
import { changeButtonListener } from '../changes/change-button.js';
import { reply } from '../commands/reply.js';
import { answerDecisionFailure } from './decision-failure.js';

/**
 * Approve on an approval card (value: change id). The clicker is authorized now (SPEC §2); the core moves
 * the request `pending → approved` atomically, plans it again against Kantata's current state and applies
 * it. The card shows "approved, applying…", then the outcome; the requester gets a direct message.
 */
export function approveRequestListener(ctx: SlackContext) {
  // One card-progress per click: it is created by the handler and awaited by the failure path too.
  const progressOf = new WeakMap<object, ReturnType<typeof createCardProgress>>();
  return changeButtonListener(
    ctx,
    'approve',
    async ({ args, click, changeId, acting }) => {
      const actx: ApprovalsContext = { ...ctx, client: args.client };
      const progress = createCardProgress(actx);
      progressOf.set(args, progress);
      const { change, report } = await ctx.changes.approveRequest(changeId, acting, {
        onApproved: (approved) => {
          void progress.approved(approved);
        },
        onProgress: progress.onProgress,
        // Apply this run on a run held because its source could not be read: read now, at the click.
        readSource: (sync) => readStandingSource(ctx, sync),
      });
      await progress.settled();
      await reply(
        click.respond,
        textMessage(`✅ Approved and applied: ${headline({ change, report }, { mrkdwn: true })}.`),
      ).catch((error: unknown) => ctx.logger.warn('could not answer the approver', { changeId, error }));
      // The card, its thread, the requester's DM and the channel notice: each keeps its own delivery
      // state and is retried by the relay, so a Slack failure here never re-applies anything.
      await deliverOwed(actx, change.id);
    },
    {
      onError: async ({ args, click, changeId, error, meta }) => {
        await progressOf.get(args)?.settled();
        await answerDecisionFailure(
          { ...ctx, client: args.client },
          { error, changeId, userId: click.userId, respond: click.respond, meta },
        );
      },
    },
  );
}
