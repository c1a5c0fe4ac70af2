import type { LogLevel } from '../config/config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Token shapes that must never reach a log line, even when a library puts them in an error message. */
const TOKEN_PATTERN = /\b(xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

export type LoggerOptions = {
  level: LogLevel;
  /** Exact secret values (tokens, signing secret) to mask wherever they appear. */
  secrets?: string[];
  write?: (line: string) => void;
  now?: () => Date;
};

/** One JSON object per line: easy to grep, easy to ship. Secrets are masked in the final text. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 6);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const redact = (text: string) => {
    let out = text.replace(TOKEN_PATTERN, '[redacted]');
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };

  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < RANK[options.level]) return;
    const record = { time: now().toISOString(), level, msg: message, ...bound, ...serializeFields(fields) };
    write(redact(JSON.stringify(record)));
  };

  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function serializeFields(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? serializeError(value) : value;
  }
  return out;
}

function serializeError(error: Error): LogFields {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(error.stack ? { stack: error.stack.split('\n').slice(0, 6).join('\n') } : {}),
  };
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
