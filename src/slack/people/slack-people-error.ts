/**
 * The Slack layer's own error codes, kept out of the core's `ErrorCode` list on purpose (the core knows
 * nothing of Slack). They share the one sentence table (`src/slack/text/error-messages.ts`) with the core's.
 * - `slack_unavailable`: Slack could not tell us who someone is (a fault; try again);
 * - `usergroup_not_found`: a user-group mention Slack does not know (a refusal);
 * - `external_user`: someone of another organization (Slack Connect) tried to act (a refusal);
 * - `channel_not_visible`: a channel the bot cannot read (a private one it is not in, or none at all);
 * - `source_empty`: a sync's source has nobody in it (syncing would remove everyone).
 */
export const SLACK_ERROR_CODES = [
  'slack_unavailable',
  'usergroup_not_found',
  'external_user',
  'channel_not_visible',
  'source_empty',
] as const;

export type SlackErrorCode = (typeof SLACK_ERROR_CODES)[number];

/** Codes of SLACK_ERROR_CODES that refuse what a person asked, as opposed to a fault. */
export const SLACK_REFUSAL_CODES: ReadonlySet<SlackErrorCode> = new Set([
  'usergroup_not_found',
  'external_user',
  'channel_not_visible',
  'source_empty',
]);

/**
 * Slack could not tell us who someone is, or the person may not act here. `slackError` is Slack's own error
 * code (`ratelimited`, `missing_scope`, …); never a token.
 */
export class SlackPeopleError extends Error {
  readonly code: SlackErrorCode;
  readonly slackError: string | undefined;

  constructor(
    code: SlackPeopleError['code'],
    message: string,
    options?: { cause?: unknown; slackError?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SlackPeopleError';
    this.code = code;
    this.slackError = options?.slackError;
  }
}

export function isSlackPeopleError(error: unknown): error is SlackPeopleError {
  return error instanceof SlackPeopleError;
}

/** Slack's error code from a WebClient error (`WebAPIPlatformError.data.error`), or the error's own code. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return data.error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** "Slack is not answering": with Slack's own code when the cause carries one. */
export function slackUnavailable(message: string, cause?: unknown, slackError?: string): SlackPeopleError {
  const code = slackError ?? slackErrorCode(cause);
  return new SlackPeopleError('slack_unavailable', message, {
    ...(cause === undefined ? {} : { cause }),
    ...(code === undefined ? {} : { slackError: code }),
  });
}

/**
 * What a failed Slack listing (a channel's or a user group's members) means: a refusal when Slack's code
 * says the thing is not there for the bot (`missing.codes`), otherwise Slack being unavailable.
 */
export function listingError(
  error: unknown,
  missing: { codes: readonly string[]; code: SlackErrorCode; message: string },
  unavailableMessage: string,
): SlackPeopleError {
  const slackError = slackErrorCode(error);
  if (slackError !== undefined && missing.codes.includes(slackError)) {
    return new SlackPeopleError(missing.code, missing.message, { slackError });
  }
  return new SlackPeopleError('slack_unavailable', unavailableMessage, {
    cause: error,
    ...(slackError === undefined ? {} : { slackError }),
  });
}
