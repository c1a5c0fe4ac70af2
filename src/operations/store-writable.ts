import type { Store } from '../approvals/ports.js';

/**
 * Whether the store takes a write, for `/readyz` (a read alone says "true" while every write fails):
 * the store's own write probe (the file store rewrites its live state with its lease checked, PostgreSQL
 * upserts a row).
 */
export function storeWriteCheck(store: Store): () => Promise<boolean> {
  return async () => {
    try {
      return await store.probeWrite();
    } catch {
      return false;
    }
  };
}
