import { randomBytes } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { isAppError, isRefusal } from '../membership/errors.js';
import { isSlackPeopleError, SLACK_REFUSAL_CODES } from './people/slack-people-error.js';
import { RepeatedDelivery } from './repeated-delivery.js';
import { messageForError } from './text/error-messages.js';
import { plainFallback, section } from './views/blocks.js';

/** A short reference a person can read out to an admin, who finds the details in the log with it. */
export function newRefId(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}

export type ErrorMeta = Record<string, unknown> & {
  /** Replace the message the click came from (a preview) instead of answering below it. */
  replaceOriginal?: boolean;
};

/**
 * The sentence for any error reaching a listener, logged under a fresh refId. `AppError`s get their
 * sentence from the one table (`messageForError`); anything else is logged with its stack and the person
 * gets the refId. Never a stack trace in Slack, never silence.
 */
export function describeError(
  ctx: { logger: Logger },
  error: unknown,
  meta: Record<string, unknown> = {},
): { text: string; refId: string } {
  const refId = newRefId();
  const { replaceOriginal: _ignored, ...fields } = meta;
  // Refusals of a person's request are expected; faults of the bot or of Kantata deserve a warning.
  if (isRefusal(error) || (isSlackPeopleError(error) && SLACK_REFUSAL_CODES.has(error.code))) {
    ctx.logger.info('request refused', { refId, code: error.code, reason: error.message, ...fields });
  } else if (isAppError(error) || isSlackPeopleError(error)) {
    ctx.logger.warn('request failed', { refId, code: error.code, error, ...fields });
  } else {
    ctx.logger.error('unexpected error in a Slack listener', { refId, error, ...fields });
  }
  return { text: messageForError(error, refId), refId };
}

/**
 * Answers the person with the sentence for `error`, ephemerally. If even that fails (the response_url is
 * used up or gone), it is logged: an error path must not throw into Bolt.
 */
export async function respondWithError(
  ctx: { logger: Logger },
  respond: RespondFn | undefined,
  error: unknown,
  meta: ErrorMeta = {},
): Promise<void> {
  // A repeated delivery stopped at its ack: the first delivery answers, this one stays silent.
  if (error instanceof RepeatedDelivery) throw error;
  const { text, refId } = describeError(ctx, error, meta);
  if (!respond) {
    ctx.logger.warn('no response_url to report an error to', { refId });
    return;
  }
  try {
    await respond({
      response_type: 'ephemeral',
      ...(meta.replaceOriginal ? { replace_original: true } : { replace_original: false }),
      text: plainFallback(text),
      blocks: [section(text)],
    });
  } catch (respondError) {
    ctx.logger.warn('could not tell the user about an error', { refId, error: respondError });
  }
}
