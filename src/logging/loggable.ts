/**
 * Turns any value into plain JSON data that `JSON.stringify` cannot choke on, for log lines. Log calls sit
 * in `catch` blocks, where a throw would turn a handled error into an unhandled rejection, so nothing here
 * may throw: circular references, BigInt, throwing getters, huge strings and deep or wide structures all
 * become short markers instead.
 */

export type LoggableLimits = {
  /** Longest string kept whole; longer ones are cut with a note of how much was cut. */
  maxString: number;
  /** Elements of an array (or entries of an object) kept; the rest is counted. */
  maxItems: number;
  /** Nesting depth kept (an error's `cause` chain counts as nesting). */
  maxDepth: number;
};

export const DEFAULT_LIMITS: LoggableLimits = { maxString: 4_000, maxItems: 50, maxDepth: 8 };

/** Lines of an error's stack kept: enough to find the throw, short enough to read. */
const STACK_LINES = 8;

type Mask = (text: string) => string;

/**
 * A JSON-safe copy of `value` with every string passed through `mask` (secrets are masked by value, in keys
 * too). Errors keep name, message, code, `detail`, Kantata's `status`, the `cause` chain and a short stack.
 */
export function toLoggable(value: unknown, mask: Mask = (t) => t, limits = DEFAULT_LIMITS): unknown {
  return convert(value, { mask, limits, ancestors: new Set() }, 0);
}

type Walk = { mask: Mask; limits: LoggableLimits; ancestors: Set<object> };

function convert(value: unknown, walk: Walk, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return walk.mask(truncate(value, walk.limits.maxString));
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return walk.mask(value.toString());
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return null;
  const object = value as object;
  // Only the current path counts: the same object twice side by side is not a cycle.
  if (walk.ancestors.has(object)) return '[Circular]';
  if (depth >= walk.limits.maxDepth) return '[Truncated: too deep]';
  walk.ancestors.add(object);
  try {
    return convertObject(object, walk, depth);
  } catch (error) {
    // A Proxy or an exotic object that refuses to be read: say so instead of failing the line.
    return `[Unloggable: ${safeMessage(error)}]`;
  } finally {
    walk.ancestors.delete(object);
  }
}

function convertObject(object: object, walk: Walk, depth: number): unknown {
  if (object instanceof Error) return convertError(object, walk, depth);
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (Buffer.isBuffer(object) || ArrayBuffer.isView(object)) return `[Binary ${object.byteLength} bytes]`;
  if (Array.isArray(object)) return convertList(object, walk, depth);
  if (object instanceof Map) return convertEntries([...object.entries()], walk, depth);
  if (object instanceof Set) return convertList([...object], walk, depth);
  return convertEntries(ownEntries(object), walk, depth);
}

function convertList(list: readonly unknown[], walk: Walk, depth: number): unknown[] {
  const max = walk.limits.maxItems;
  const out = list.slice(0, max).map((item) => convert(item, walk, depth + 1) ?? null);
  if (list.length > max) out.push(`[… ${list.length - max} more]`);
  return out;
}

function convertEntries(entries: [unknown, unknown][], walk: Walk, depth: number): Record<string, unknown> {
  const max = walk.limits.maxItems;
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, max)) {
    const converted = convert(item, walk, depth + 1);
    if (converted !== undefined) out[walk.mask(String(key))] = converted;
  }
  if (entries.length > max) out['…'] = `${entries.length - max} more`;
  return out;
}

/** Enumerable own properties; a getter that throws becomes a marker rather than failing the whole line. */
function ownEntries(object: object): [string, unknown][] {
  return Object.keys(object).map((key) => {
    try {
      return [key, (object as Record<string, unknown>)[key]];
    } catch (error) {
      return [key, `[Unreadable: ${safeMessage(error)}]`];
    }
  });
}

/**
 * An error's own enumerable fields (AppError's `code` and `detail`, KantataError's `status` and
 * `kantataMessage`, Node's `errno`/`syscall`) are kept with name, message and stack; `cause` is followed.
 */
function convertError(error: Error, walk: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: convert(error.name, walk, depth + 1),
    message: convert(error.message, walk, depth + 1),
  };
  for (const [key, item] of ownEntries(error)) {
    if (key === 'stack' || key === 'cause' || key in out) continue;
    const converted = convert(item, walk, depth + 1);
    if (converted !== undefined) out[walk.mask(key)] = converted;
  }
  if (typeof error.stack === 'string') {
    out.stack = convert(error.stack.split('\n').slice(0, STACK_LINES).join('\n'), walk, depth + 1);
  }
  if (error.cause !== undefined) out.cause = convert(error.cause, walk, depth + 1);
  if (error instanceof AggregateError) out.errors = convert(error.errors, walk, depth + 1);
  return out;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function safeMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown';
  }
}
