import { AppError, type ErrorCode } from '../membership/errors.js';

/** One entry of Kantata's `{"errors":[{type,message,field?}]}` body. */
export type KantataErrorEntry = { type?: string; message?: string; field?: string };

/**
 * An `AppError` raised by the Kantata adapter. `status` is the HTTP status when Kantata answered;
 * `kantataMessage` is Kantata's own `errors[].message` text, joined, fit to show to people.
 * Never carries the bearer token: messages and causes are scrubbed before they get here.
 */
export class KantataError extends AppError {
  // `declare`: no own `undefined` properties when absent (errors are logged and serialised whole).
  declare readonly status?: number;
  declare readonly kantataMessage?: string;

  constructor(
    code: ErrorCode,
    message: string,
    extra: {
      status?: number;
      kantataMessage?: string;
      detail?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, extra.detail ?? {}, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'KantataError';
    if (extra.status !== undefined)
      Object.defineProperty(this, 'status', { value: extra.status, enumerable: true });
    if (extra.kantataMessage !== undefined) {
      Object.defineProperty(this, 'kantataMessage', { value: extra.kantataMessage, enumerable: true });
    }
  }
}

export function isKantataError(error: unknown): error is KantataError {
  return error instanceof KantataError;
}

/** The error code for a Kantata HTTP status that is not a success. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'kantata_unauthorized';
  if (status === 403) return 'kantata_forbidden';
  if (status === 404) return 'kantata_not_found';
  if (status === 429) return 'kantata_rate_limited';
  if (status >= 500) return 'kantata_unavailable';
  if (status >= 400) return 'kantata_validation';
  // 1xx/3xx: we never ask for redirects, so Kantata answering one is an unexpected shape.
  return 'kantata_bad_response';
}

/** Pulls `errors[].message` out of a Kantata error body (any shape tolerated). */
export function readKantataErrors(body: unknown): KantataErrorEntry[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const entries: KantataErrorEntry[] = [];
  for (const raw of errors) {
    if (typeof raw !== 'object' || raw === null) continue;
    const { type, message, field } = raw as Record<string, unknown>;
    entries.push({
      ...(typeof type === 'string' ? { type } : {}),
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof field === 'string' ? { field } : {}),
    });
  }
  return entries;
}

/** Builds the error for a non-success HTTP answer. */
export function errorFromResponse(
  status: number,
  body: unknown,
  request: { method: string; path: string },
  scrub: (text: string) => string,
): KantataError {
  const entries = readKantataErrors(body);
  const joined = entries
    .map((e) => e.message)
    .filter((m): m is string => typeof m === 'string' && m.length > 0)
    .join('; ');
  const kantataMessage = joined.length > 0 ? scrub(joined) : undefined;
  const message = kantataMessage ?? `Kantata answered HTTP ${status} to ${request.method} ${request.path}`;
  return new KantataError(codeForStatus(status), message, {
    status,
    ...(kantataMessage === undefined ? {} : { kantataMessage }),
    detail: {
      status,
      method: request.method,
      path: request.path,
      ...(entries.length > 0 ? { kantataErrors: entries.map((e) => scrubEntry(e, scrub)) } : {}),
    },
  });
}

function scrubEntry(entry: KantataErrorEntry, scrub: (text: string) => string): KantataErrorEntry {
  return {
    ...(entry.type === undefined ? {} : { type: entry.type }),
    ...(entry.message === undefined ? {} : { message: scrub(entry.message) }),
    ...(entry.field === undefined ? {} : { field: entry.field }),
  };
}

/**
 * Returns a function that replaces every occurrence of the secret in a text. Kantata or undici could echo
 * a header back (an error page, an "invalid header" message); this keeps the token out of every message.
 */
export function createScrubber(secret: string): (text: string) => string {
  if (secret.length === 0) return (text) => text;
  return (text) => text.split(secret).join('[redacted]');
}

/**
 * A plain, token-free stand-in for a low-level error (undici errors can hold request objects whose
 * headers include `Authorization`). Keeps only name, code and a scrubbed message.
 */
export function sanitizeCause(error: unknown, scrub: (text: string) => string, depth = 0): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const inner = source.cause;
  const clean =
    inner !== undefined && depth < 3
      ? new Error(scrub(source.message), { cause: sanitizeCause(inner, scrub, depth + 1) })
      : new Error(scrub(source.message));
  clean.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(clean, { code });
  clean.stack = `${clean.name}: ${clean.message}`;
  return clean;
}
