import type { types, webApi } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { describeError, newRefId } from '../../respond-error.js';

export { newRefId };

/**
 * A sentence for an error reached by a modal listener, logged under a fresh refId (`describeError`:
 * refusals as info, faults with their stack), from the same table as every other path.
 */
export function describeModalError(ctx: SlackContext, error: unknown, what: string): string {
  return describeError(ctx, error, { where: what }).text;
}

/** Resolves with the value if it settles within `ms`; otherwise `{ done: false }` and the work carries on. */
export async function withinBudget<T>(
  work: Promise<T>,
  ms: number,
): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Replaces the modal's current view. A person may close the modal while work goes on (`not_found`):
 * the work still finishes, so a failed update is logged, not thrown.
 */
export async function showView(
  ctx: SlackContext,
  client: webApi.WebClient,
  viewId: string,
  view: types.ModalView,
): Promise<boolean> {
  try {
    await client.views.update({ view_id: viewId, view });
    return true;
  } catch (error) {
    ctx.logger.info('could not update the /groups modal', {
      viewId,
      error: slackErrorCode(error) ?? String(error),
    });
    return false;
  }
}

/** Slack's error code of a failed Web API call (`expired_trigger_id`, `not_found`…), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
