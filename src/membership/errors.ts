/**
 * Errors are for preconditions and faults; expected outcomes (already a member, not found) are data.
 * Every error carries one narrow code; `src/slack/error-messages.ts` turns codes into sentences.
 */
export const ERROR_CODES = [
  // Kantata faults (raised by the Kantata adapter)
  'kantata_unauthorized',
  'kantata_forbidden',
  'kantata_not_found',
  'kantata_validation',
  'kantata_rate_limited',
  'kantata_unavailable',
  'kantata_timeout',
  'kantata_bad_response',
  // Preconditions of the core
  'group_not_found',
  'not_authorized',
  'not_linked',
  'guest_not_allowed',
  'self_approval_forbidden',
  'too_many_people',
  'nothing_to_change',
  'change_not_found',
  'change_already_decided',
  'change_expired',
  'undo_window_passed',
  'policy_forbids',
  'bot_not_administrator',
  'store_unavailable',
  'invalid_input',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for the sentence shown to people (never secrets). */
  readonly detail: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    detail: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function isAppErrorWithCode<C extends ErrorCode>(
  error: unknown,
  code: C,
): error is AppError & { code: C } {
  return isAppError(error) && error.code === code;
}

/** Kantata refused the request as such (4xx other than 429): repeating it will not help. */
export function isKantataRefusal(error: unknown): boolean {
  return (
    isAppError(error) &&
    (error.code === 'kantata_validation' ||
      error.code === 'kantata_forbidden' ||
      error.code === 'kantata_not_found')
  );
}

/** We do not know whether Kantata acted on the request (deadline passed, connection reset, 5xx on a write). */
export function isOutcomeUnknown(error: unknown): boolean {
  return isAppError(error) && (error.code === 'kantata_timeout' || error.code === 'kantata_unavailable');
}
