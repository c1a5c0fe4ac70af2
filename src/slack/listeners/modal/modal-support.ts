import type { types, webApi } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { isSlackPeopleError } from '../../people/slack-people-error.js';
import { describeError, newRefId } from '../../respond-error.js';

export { newRefId };

/**
 * A sentence for an error reached by a modal listener, logged under a fresh refId (`describeError`:
 * refusals as info, faults with their stack). Slack not answering about people gets its own sentence.
 */
export function describeModalError(ctx: SlackContext, error: unknown, what: string): string {
  if (isSlackPeopleError(error) && error.code === 'slack_unavailable') {
    const refId = newRefId();
    ctx.logger.warn('Slack could not say who the people are', { refId, what, slackError: error.slackError });
    return `Slack is not answering right now, so the bot cannot tell who the people are (reference ${refId}). Please try again in a minute.`;
  }
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
