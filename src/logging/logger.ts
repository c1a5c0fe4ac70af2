import type { LogLevel } from '../config/config.js';
import { toLoggable } from './loggable.js';

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

/**
 * One JSON object per line: easy to grep, easy to ship. Every string (message, field values and keys,
 * error messages, stacks and causes) is masked before it is serialized, and a log call never throws.
 *
 * Hand-written rather than pino: what we need beyond a `JSON.stringify` per line is exactly the safe
 * conversion (`loggable.ts`) and masking secrets by value in every string, which pino would need as custom
 * serializers and hooks anyway; this stays under 100 lines and writes synchronously, so the last line
 * before an exit is never lost in a worker thread.
 */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 6);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const mask = (text: string) => {
    let out = text.replace(TOKEN_PATTERN, '[redacted]');
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };

  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < RANK[options.level]) return;
    let line: string;
    try {
      const record = toLoggable({ ...bound, ...fields }, mask) as LogFields;
      line = JSON.stringify({ time: now().toISOString(), level, msg: mask(String(message)), ...record });
    } catch (error) {
      // toLoggable does not throw; this is the last guard (a broken clock, a bound field's toString…).
      line = JSON.stringify({ level, msg: mask(String(message)), logError: String(error) });
    }
    try {
      write(line);
    } catch {
      // stderr closed (EPIPE) or a failing sink: losing one line beats crashing the caller's catch block.
    }
  };

  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
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
