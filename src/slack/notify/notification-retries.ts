import type { ChangeStatus } from '../../approvals/types.js';
import { notifyApplied } from './notifier.js';
import type { NotifyContext } from './notify-context.js';

const NOTIFIED_STATUSES: readonly ChangeStatus[] = ['applied', 'partially_applied', 'failed'];

/**
 * Every `intervalMs`, posts the notifications still pending whose back-off has passed (also those left
 * behind by a restart). Returns a function that stops it. Ticks never overlap.
 */
export function startNotificationRetries(
  ctx: NotifyContext,
  options: { intervalMs?: number } = {},
): () => void {
  const intervalMs = options.intervalMs ?? 30_000;
  let running = false;
  let stopped = false;

  async function tick(): Promise<void> {
    if (running || stopped) return;
    running = true;
    try {
      const now = ctx.clock.now().getTime();
      const changes = await ctx.store.listChanges({ statuses: NOTIFIED_STATUSES });
      for (const change of changes) {
        if (stopped) break;
        const state = change.notification;
        if (state?.status !== 'pending') continue;
        if (state.nextAttemptAt && Date.parse(state.nextAttemptAt) > now) continue;
        await notifyApplied(ctx, change.id).catch((error: unknown) =>
          ctx.logger.warn('notification retry failed', { changeId: change.id, error }),
        );
      }
    } catch (error) {
      ctx.logger.warn('notification retries could not list changes', { error });
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => {
    const work = tick();
    ctx.work ? void ctx.work.track(work) : void work;
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
