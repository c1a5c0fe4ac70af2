import { dirname } from 'node:path';
import type pg from 'pg';
import { createFileSnapshotStore } from './file-snapshot-store.js';
import type { DirectorySnapshotStore } from './snapshot-store.js';

/** Beside whatever STORE_URL names: files next to the store file, or the same PostgreSQL database. */
export async function openSnapshotStore(
  location: { kind: 'file'; path: string } | { kind: 'postgres'; url: string },
  opts: { log: { warn(msg: string): void }; migrate: (pool: pg.Pool) => Promise<unknown> },
): Promise<DirectorySnapshotStore> {
  return location.kind === 'file'
    ? createFileSnapshotStore(dirname(location.path))
    : // Loaded only when used, as the store itself is: `pg` would cost every file-store start its load time.
      (await import('./postgres-snapshot-store.js')).openPostgresSnapshotStore(
        location.url,
        opts.log,
        opts.migrate,
      );
}
