/**
 * Slack could not tell us who someone is. Kept out of the core's `ErrorCode` list on purpose:
 * the reply layer shows it as "Slack is not answering, try again" (code `slack_unavailable`) or
 * "no such user group" (`usergroup_not_found`). `slackError` is Slack's own error code
 * (`ratelimited`, `missing_scope`, …); never a token.
 */
export class SlackPeopleError extends Error {
  readonly code: 'slack_unavailable' | 'usergroup_not_found';
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
