import type { Change } from '../../approvals/types.js';
import type { ApprovalsContext } from './approvals-context.js';
import { refreshApprovalCard } from './refresh-approval-card.js';

/** Slack asks for at most about one update a second per message. */
const MIN_INTERVAL_MS = 1_000;

/**
 * "Adding 400 of 1,000 ▓▓▓▓░░░░░░" on the approval card while an approved request is applied: at most one
 * redraw a second and one at a time, and `settled()` waits for the last one, so that the final card is
 * never overwritten by a late progress redraw.
 */
export function createCardProgress(ctx: ApprovalsContext) {
  let change: Change | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;
  let lastAt = 0;
  return {
    /** The approved change (from the core's `onApproved`): the card is drawn from it. */
    approved(approved: Change): Promise<void> {
      change = approved;
      lastAt = Date.now();
      inFlight = refreshApprovalCard(ctx, approved);
      return inFlight;
    },
    onProgress(progress: { done: number; total: number }): void {
      if (!change || busy || Date.now() - lastAt < MIN_INTERVAL_MS || progress.done >= progress.total) return;
      busy = true;
      lastAt = Date.now();
      const shown = change;
      inFlight = inFlight
        .then(() => refreshApprovalCard(ctx, shown, progress))
        .finally(() => {
          busy = false;
        });
    },
    settled(): Promise<void> {
      return inFlight;
    },
  };
}
