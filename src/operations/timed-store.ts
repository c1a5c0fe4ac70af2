import type { Store } from '../approvals/ports.js';

/** The store's writes: each one resolves once the store has it on disk or committed. */
const WRITES = new Set<string>([
  'createChange',
  'transitionChange',
  'updateChange',
  'appendOutcomes',
  'appendAudit',
  'claimKey',
  'setLink',
  'removeLink',
]);

/**
 * The store with each write timed (store commit latency for the metrics), whichever backend it is. A
 * Proxy rather than a wrapper object: every other method, including ones a store adds later, passes
 * through untouched, so the decorator never hides part of the store.
 */
export function withCommitTiming<S extends Store>(
  store: S,
  observe: (operation: string, ms: number) => void,
): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !WRITES.has(property) || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          observe(property, performance.now() - started);
        }
      };
    },
  });
}
