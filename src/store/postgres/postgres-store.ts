import pg from 'pg';
import type { Clock, Store } from '../../approvals/ports.js';
import { systemClock } from '../../approvals/ports.js';
import { AppError } from '../../membership/errors.js';
import { redactUrl, scrubSecrets } from '../redact-url.js';
import { createConnection } from './connection.js';
import { createKeyClaims } from './key-claims.js';
import { runMigrations } from './migrations.js';
import { createPostgresAudit } from './postgres-audit.js';
import { createPostgresChanges } from './postgres-changes.js';
import { createPostgresEnds } from './postgres-ends.js';
import { createPostgresLinks } from './postgres-links.js';
import { createPostgresOwners } from './postgres-owners.js';
import { createPostgresStandingSyncs } from './postgres-standing-syncs.js';

export { OWING_SQL } from './postgres-changes.js';

export type PostgresStoreOptions = {
  clock?: Clock;
  log?: { warn(msg: string): void };
  /** Connections per process (pg.Pool `max`). */
  poolSize?: number;
  /** Rows fetched per query while exporting the audit log. */
  exportBatchSize?: number;
  /** Unused previews are dropped after this long (PREVIEW_TTL). */
  previewTtlMs?: number;
};

const PRUNE_EVERY_MS = 60_000;
const DEFAULT_PREVIEW_TTL_MS = 24 * 3_600_000;
const PING_TIMEOUT_MS = 2_000;

/**
 * The shared store for several replicas (SPEC §7). Every state change is one SQL statement whose WHERE
 * clause is the precondition (compare-and-set), so PostgreSQL's row locks decide races between processes.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const log = opts.log ?? { warn: (msg: string) => console.warn(msg) };
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // A query stuck behind a lock or a dying server fails instead of holding a Slack request forever.
    statement_timeout: 30_000,
  });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', (error) =>
    log.warn(`store: idle PostgreSQL connection failed: ${scrubSecrets(error.message, url)}`),
  );
  try {
    await runMigrations(pool, log);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const why = scrubSecrets(error instanceof Error ? error.message : String(error), url);
    throw new AppError(
      'store_unavailable',
      `Could not open the PostgreSQL store at ${redactUrl(url)}: ${why}`,
      {},
      {
        cause: error,
      },
    );
  }
  return createPostgresStore(pool, url, { ...opts, log });
}

function createPostgresStore(
  pool: pg.Pool,
  url: string,
  opts: PostgresStoreOptions & { log: { warn(msg: string): void } },
): Store {
  const clock = opts.clock ?? systemClock;
  let lastPruneAt = 0;
  let pruning: Promise<void> = Promise.resolve();
  const { query, inTransaction } = createConnection(pool, url);
  // Inserted, or taken over once expired; a live key makes the WHERE false and no row comes back for it.
  const keyClaims = createKeyClaims(
    async (keys, expiresAt, at) => {
      const { rows } = await query<{ key: string }>(
        `INSERT INTO processed_keys (key, expires_at)
       SELECT key, expires_at FROM unnest($1::text[], $2::timestamptz[]) AS claim(key, expires_at)
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at
        WHERE processed_keys.expires_at <= $3
       RETURNING key`,
        [keys, expiresAt, at],
      );
      return new Set(rows.map((row) => row.key));
    },
    () => clock.now(),
  );
  const previewTtlMs = opts.previewTtlMs ?? DEFAULT_PREVIEW_TTL_MS;
  /** Previews created before this are gone (PREVIEW_TTL). */
  const previewCutoff = (): string => new Date(clock.now().getTime() - previewTtlMs).toISOString();

  return {
    ...createPostgresEnds(query),
    ...createPostgresStandingSyncs(query, inTransaction),
    ...createPostgresOwners(query, inTransaction),
    ...createPostgresChanges({
      pool,
      url,
      query,
      inTransaction,
      now: () => clock.now().toISOString(),
      previewCutoff,
    }),
    ...createPostgresAudit(query, { exportBatchSize: opts.exportBatchSize ?? 500 }),
    ...createPostgresLinks(query, inTransaction),

    async claimKey(key, ttlMs) {
      const at = clock.now();
      const claimed = keyClaims.claim(key, ttlMs);
      if (at.getTime() - lastPruneAt >= PRUNE_EVERY_MS) {
        lastPruneAt = at.getTime();
        pruning = Promise.all([
          query('DELETE FROM processed_keys WHERE expires_at <= $1', [at.toISOString()]),
          query(`DELETE FROM changes WHERE status = 'previewed' AND created_at <= $1`, [previewCutoff()]),
        ]).then(
          () => undefined,
          (error: unknown) => opts.log.warn(`store: pruning keys and old previews failed: ${String(error)}`),
        );
      }
      return claimed;
    },

    async ping() {
      // /healthz must answer quickly even while connecting would take the full connection timeout.
      const probe = pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      return within(probe, PING_TIMEOUT_MS, false);
    },

    async probeWrite() {
      // A write, so that a read-only database (a failed-over replica, a full disk) shows as failing.
      const write = query(
        'INSERT INTO store_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = now()',
      ).then(
        () => true,
        () => false,
      );
      return within(write, PING_TIMEOUT_MS, false);
    },

    async close() {
      await pruning;
      if (!pool.ended) await pool.end();
    },
  };
}

async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
