import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import { deliverOwed } from '../../announce/announcer.js';
import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import { parseDenyMetadata } from '../../approvals/deny-metadata.js';
import type { SlackContext } from '../../context.js';
import { ACTION, BLOCK } from '../../ids.js';
import { describeError } from '../../respond-error.js';
import { DENY_REASON_MAX } from '../../views/deny-modal.js';
import { tellPrivately } from './tell-privately.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The deny modal submitted: the modal closes at once (ack), then the clicker is authorized again and the
 * request moves `pending → denied` atomically. The card shows ❌ DENIED with the reason, its thread says
 * so and the requester gets a direct message. A refusal ("already approved by …") reaches the clicker
 * ephemerally in the card's channel.
 */
export function denySubmissionListener(ctx: SlackContext) {
  return async (args: ViewArgs): Promise<void> => {
    const meta = parseDenyMetadata(args.view.private_metadata);
    if (!meta) {
      await args.ack({
        response_action: 'errors',
        errors: {
          [BLOCK.denyReason]: 'This form is out of date. Close it and click Deny on the card again.',
        },
      });
      return;
    }
    await args.ack();
    const userId = args.body.user.id;
    const actx: ApprovalsContext = { ...ctx, client: args.client };
    const raw = args.view.state.values[BLOCK.denyReason]?.[ACTION.denyReason]?.value ?? '';
    const reason = raw.trim().slice(0, DENY_REASON_MAX);
    try {
      const who = await resolveActingUser(ctx, userId);
      if (!who.ok) return await tellPrivately(actx, { userId, changeId: meta.changeId, text: who.message });
      const denied = await ctx.changes.denyRequest(meta.changeId, who.acting, reason || undefined);
      await deliverOwed(actx, denied.id);
    } catch (error) {
      const { text } = describeError(ctx, error, { action: 'deny', changeId: meta.changeId, userId });
      // Found overdue by this submission: it expired just now, and this listener announces it.
      if (isAppErrorWithCode(error, 'change_expired') && error.detail.expiredNow === true) {
        const expired = await ctx.changes.getChange(meta.changeId).catch(() => null);
        if (expired) await deliverOwed(actx, expired.id);
      }
      await tellPrivately(actx, { userId, changeId: meta.changeId, text });
    }
  };
}
