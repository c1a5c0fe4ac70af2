import type { Change } from '../../../approvals/types.js';
import type { SlackContext } from '../../context.js';
import { locationsOf, recordLocations } from '../../locations.js';
import { resultMessage } from '../../views/result-message.js';

/** Slack accepts posts to a response_url for 30 minutes; leave a margin. */
const RESPONSE_URL_LIFETIME_MS = 29 * 60_000;

/**
 * Remembers where the person who clicked Apply can be answered, so that a change a crash cut off can
 * still end with its result in their message, not "Applying…" forever. Kept only with the change.
 */
export async function rememberClicker(ctx: SlackContext, change: Change, responseUrl: string): Promise<void> {
  await recordLocations(ctx, change.id, {
    clickerResponseUrl: responseUrl,
    clickedAt: ctx.clock.now().toISOString(),
  }).catch((error: unknown) =>
    ctx.logger.warn('could not remember the clicker', { changeId: change.id, error }),
  );
}

/**
 * After a restart finished a change, replaces the clicker's "Applying…" with the result, while Slack
 * still accepts the response_url. Best effort: the channel notification reports the outcome anyway.
 */
export async function answerClickerAfterResume(ctx: SlackContext, change: Change): Promise<void> {
  const { clickerResponseUrl: url, clickedAt: at } = locationsOf(change);
  const clickedAt = Date.parse(at ?? '');
  if (!url || !change.report || !(ctx.clock.now().getTime() - clickedAt < RESPONSE_URL_LIFETIME_MS)) return;
  const message = resultMessage({
    change,
    report: change.report,
    note: 'Applying this change was interrupted (the bot stopped, or lost its storage); it was finished afterwards.',
  });
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, response_type: 'ephemeral', ...message }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!answer.ok)
      ctx.logger.warn('Slack refused the resumed result', { changeId: change.id, status: answer.status });
  } catch (error) {
    ctx.logger.warn('could not answer the clicker after a restart', { changeId: change.id, error });
  }
}
