import type { Change } from '../../approvals/types.js';
import { approvalCard } from '../views/approval-card.js';
import { type ApprovalsContext, redrawMessage } from './approvals-context.js';
import { findCardLocation } from './card-location.js';

/**
 * Redraws the approval card in place (chat.update) to show the change as it is now. Never throws: the
 * card is a view of the stored state, and a failed redraw must not undo or repeat a decision.
 */
export async function refreshApprovalCard(
  ctx: ApprovalsContext,
  change: Change,
  progress?: { done: number; total: number },
): Promise<void> {
  try {
    const location = await findCardLocation(ctx, change);
    if (!location) {
      ctx.logger.info('no approval card to update', { changeId: change.id, status: change.status });
      return;
    }
    await redrawMessage(ctx, location, approvalCard({ change, ...(progress ? { progress } : {}) }));
  } catch (error) {
    ctx.logger.warn('approval card update failed', { changeId: change.id, status: change.status, error });
  }
}
