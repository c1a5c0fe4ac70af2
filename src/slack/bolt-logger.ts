import type { Logger as BoltLogger } from '@slack/bolt';
import { toLoggable } from '../logging/loggable.js';
import type { Logger } from '../logging/logger.js';
import { LogLevel } from './bolt-runtime.js';

/** Bolt and the Web API client log through our logger, so their lines are redacted like ours. */
export function toBoltLogger(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error'): BoltLogger {
  const join = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
  const boltLevel = {
    debug: LogLevel.DEBUG,
    info: LogLevel.INFO,
    warn: LogLevel.WARN,
    error: LogLevel.ERROR,
  }[level];
  let name = 'bolt';
  return {
    debug: (...msg) => logger.debug(join(msg), { component: name }),
    info: (...msg) => logger.info(join(msg), { component: name }),
    warn: (...msg) => logger.warn(join(msg), { component: name }),
    error: (...msg) => logger.error(join(msg), { component: name }),
    setLevel: () => {},
    getLevel: () => boltLevel,
    setName: (n: string) => {
      name = n;
    },
  };
}

/** Never throws (Bolt logs whatever it holds: errors with causes, request objects). Masked by our logger. */
function safeJson(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return JSON.stringify(toLoggable(value)) ?? String(value);
}
