/**
 * Errors are for preconditions and faults; expected outcomes (already a member, not found) are data.
 * Every error carries one narrow code; `src/slack/text/error-messages.ts` turns codes into sentences.
 */

/** A person's request refused as it stands (bad input, not allowed, already done): no fault of the bot. */
export const REFUSAL_CODES = [
  'group_not_found',
  'not_authorized',
  'not_linked',
  'guest_not_allowed',
  'self_approval_forbidden',
  'too_many_people',
  'nothing_to_change',
  'change_not_found',
  'change_already_decided',
  'change_not_requested',
  'change_expired',
  'undo_window_passed',
  'policy_forbids',
  'invalid_input',
  'held_run_not_applied',
] as const;

/** Faults of Kantata, the store or the bot's set-up: worth an administrator's attention. */
export const FAULT_CODES = [
  // Raised by the Kantata adapter
  'kantata_unauthorized',
  'kantata_forbidden',
  'kantata_not_found',
  'kantata_validation',
  'kantata_rate_limited',
  'kantata_unavailable',
  'kantata_timeout',
  'kantata_bad_response',
  'bot_not_administrator',
  'store_unavailable',
] as const;

export const ERROR_CODES = [...FAULT_CODES, ...REFUSAL_CODES] as const;

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

const REFUSALS: ReadonlySet<ErrorCode> = new Set(REFUSAL_CODES);

/** A refusal of what a person asked (see REFUSAL_CODES), as opposed to a fault. */
export function isRefusal(error: unknown): error is AppError {
  return isAppError(error) && REFUSALS.has(error.code);
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

/** We do not know whether Kantata acted on the request (deadline passed, connection reset, 5xx on a write). */
export function isOutcomeUnknown(error: unknown): boolean {
  return isAppError(error) && (error.code === 'kantata_timeout' || error.code === 'kantata_unavailable');
}
