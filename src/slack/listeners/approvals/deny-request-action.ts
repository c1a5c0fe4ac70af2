import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { describeError } from '../../respond-error.js';
import { describeActor } from '../../text/slack-actor.js';
import { requestWhat } from '../../views/approval-card.js';
import { denyModal, denyRefusedModal } from '../../views/deny-modal.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from '../changes/button-args.js';
import { showView } from '../modal/modal-support.js';

/**
 * Deny on an approval card (value: change id): the small modal for an optional reason opens at once (the
 * trigger expires in 3 s, so nothing is awaited before it); then the clicker is checked, and if they may
 * not deny this request the modal turns into the reason why. The submission is checked again.
 */
export function denyRequestListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const triggerId = (args.body as { trigger_id?: unknown }).trigger_id;
    if (!click.userId || !changeId || typeof triggerId !== 'string') {
      ctx.logger.warn('Deny click without user, change id or trigger', { changeId });
      return;
    }
    let viewId: string | undefined;
    try {
      const opened = await args.client.views.open({ trigger_id: triggerId, view: denyModal({ changeId }) });
      viewId = opened.view?.id;
    } catch (error) {
      const { text } = describeError(ctx, error, { action: 'deny', changeId, step: 'views.open' });
      await click
        .respond({ response_type: 'ephemeral', replace_original: false, text })
        .catch(() => undefined);
      return;
    }
    if (!viewId) return;
    const refusal = await denyRefusal(ctx, click.userId, changeId).catch(
      (error: unknown) => describeError(ctx, error, { action: 'deny', changeId }).text,
    );
    if (refusal) await showView(ctx, args.client, viewId, denyRefusedModal(refusal));
    else {
      const change = await ctx.changes.getChange(changeId);
      const summary = `${requestWhat(change)}, requested by ${describeActor(change.requestedBy) ?? 'someone'}`;
      await showView(ctx, args.client, viewId, denyModal({ changeId, summary }));
    }
  };
}

/** Why this person may not deny this request now (the core's refusal, in its sentence), or null if they may. */
async function denyRefusal(ctx: SlackContext, userId: string, changeId: string): Promise<string | null> {
  const who = await resolveActingUser(ctx, userId);
  if (!who.ok) return who.message;
  try {
    await ctx.changes.checkDecision(changeId, who.acting, 'deny');
    return null;
  } catch (error) {
    return describeError(ctx, error, { action: 'deny', changeId }).text;
  }
}
