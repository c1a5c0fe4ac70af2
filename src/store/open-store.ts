import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, Store } from '../approvals/ports.js';
import { AppError } from '../membership/errors.js';
import { openFileStore } from './lowdb/file-store.js';
import { redactUrl } from './redact-url.js';

export type OpenStoreOptions = {
  clock?: Clock;
  log?: { warn(msg: string): void };
  /** Base of relative `file:` paths; the process's working directory by default. */
  cwd?: string;
  /** Unused previews are dropped after this long (PREVIEW_TTL). */
  previewTtlMs?: number;
  /** The embedded store's lease (STORE_LOCK_LEASE). */
  lockLeaseMs?: number;
  /** The embedded store lost its lease (this process was paused past it): stop and exit. */
  onLockLost?: (error: Error) => void;
};

/** Where a `STORE_URL` points: parsed apart from opening so that configuration can be checked early. */
export type StoreLocation = { kind: 'file'; path: string } | { kind: 'postgres'; url: string };

/**
 * `file:./data/store.json` (relative to the working directory), `file:/abs/path.json` or
 * `file:///abs/path.json` → the embedded JSON file store; `postgres://…` / `postgresql://…` → PostgreSQL.
 */
export function parseStoreUrl(storeUrl: string, cwd: string = process.cwd()): StoreLocation {
  const url = storeUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^file:/i.test(url)) {
    const path = /^file:\/\//i.test(url) ? safeFileUrlToPath(url) : url.slice('file:'.length);
    if (!path) {
      throw new AppError('invalid_input', 'STORE_URL names no file: use e.g. file:./data/store.json', {});
    }
    return { kind: 'file', path: resolve(cwd, path) };
  }
  throw new AppError(
    'invalid_input',
    `STORE_URL ${redactUrl(url)} is not supported: use file:./data/store.json (one process) or ` +
      'postgres://user:password@host:5432/db (several replicas)',
    {},
  );
}

export async function openStore(storeUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(storeUrl, opts.cwd);
  const storeOpts = {
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.log && { log: opts.log }),
    ...(opts.previewTtlMs && { previewTtlMs: opts.previewTtlMs }),
  };
  return location.kind === 'file'
    ? openFileStore(location.path, {
        ...storeOpts,
        ...(opts.lockLeaseMs && { leaseMs: opts.lockLeaseMs }),
        ...(opts.onLockLost && { onLockLost: opts.onLockLost }),
      })
    : // Loaded only when used: `pg` costs every file-store start tens of milliseconds for nothing.
      (await import('./postgres/postgres-store.js')).openPostgresStore(location.url, storeOpts);
}

function safeFileUrlToPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    throw new AppError(
      'invalid_input',
      'STORE_URL is not a valid file URL: use e.g. file:./data/store.json',
      {},
    );
  }
}
