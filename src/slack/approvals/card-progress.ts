import type { Change } from '../../approvals/types.js';
import { refreshOwnerDms } from '../owners/owner-dms.js';
import { createProgressThrottle } from '../progress-throttle.js';
import type { ApprovalsContext } from './approvals-context.js';
import { refreshApprovalCard } from './refresh-approval-card.js';

/**
 * "Adding 400 of 1,000 ▓▓▓▓░░░░░░" on the approval card while an approved request is applied, through the
 * one progress throttle; `settled()` waits for the last redraw, so that the final card is never
 * overwritten by a late progress redraw.
 */
export function createCardProgress(ctx: ApprovalsContext) {
  let change: Change | undefined;
  let approvedDrawn: Promise<void> = Promise.resolve();
  const throttle = createProgressThrottle({
    // After the "approved, applying…" card; `refreshApprovalCard` never throws.
    show: async (progress) => {
      await approvedDrawn;
      if (change) await refreshApprovalCard(ctx, change, progress);
    },
  });
  return {
    /** The approved change (from the core's `onApproved`): the card is drawn from it. */
    approved(approved: Change): Promise<void> {
      change = approved;
      // The owners' copies lose their buttons at once too, so no other owner clicks in vain.
      approvedDrawn = Promise.all([
        refreshApprovalCard(ctx, approved),
        refreshOwnerDms(ctx, approved).catch((error: unknown) =>
          ctx.logger.info('owner messages not updated yet; the announcer does it', {
            changeId: approved.id,
            error,
          }),
        ),
      ]).then(() => undefined);
      return approvedDrawn;
    },
    onProgress: throttle.report,
    async settled(): Promise<void> {
      await throttle.finish();
      await approvedDrawn;
    },
  };
}
