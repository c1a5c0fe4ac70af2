import { inspect } from 'node:util';
import {
  createKantataClient,
  type KantataClient,
  type KantataClientOptions,
} from '../../../src/kantata/index.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';

/** A logger that keeps every line, as it would be written (message + meta serialised). */
export function captureLogger() {
  const lines: string[] = [];
  const write = (level: string) => (msg: string, meta?: object) => {
    lines.push(`${level} ${msg} ${JSON.stringify(meta ?? {})}`);
  };
  return { lines, logger: { debug: write('debug'), warn: write('warn') } };
}

/** A client on the fake with test-sized retry timings. */
export function clientFor(fake: FakeKantata, overrides: Partial<KantataClientOptions> = {}): KantataClient {
  return createKantataClient({
    baseUrl: fake.url,
    token: fake.token,
    concurrency: 4,
    timeoutMs: 2_000,
    retryBaseMs: 10,
    maxBackoffMs: 50,
    ...overrides,
  });
}

/** Everything an error exposes: own properties (enumerable or not) along the cause chain, and inspect(). */
export function dumpError(error: unknown): string {
  const parts: string[] = [inspect(error, { showHidden: true, depth: 20 })];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
    if (typeof current !== 'object') {
      parts.push(String(current));
      break;
    }
    for (const key of Object.getOwnPropertyNames(current)) {
      const value = (current as Record<string, unknown>)[key];
      parts.push(
        `${key}=${typeof value === 'object' ? inspect(value, { showHidden: true, depth: 20 }) : String(value)}`,
      );
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** Resolves to the rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
