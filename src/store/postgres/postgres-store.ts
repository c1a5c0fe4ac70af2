import pg from 'pg';
import type { Clock, Store } from '../../approvals/ports.js';
import { systemClock } from '../../approvals/ports.js';
import type { Change, TransitionResult } from '../../approvals/types.js';
import { AppError } from '../../membership/errors.js';
import { checkLimit, definedFields, parseSince } from '../change-patch.js';
import { redactUrl, scrubSecrets } from '../redact-url.js';
import { runMigrations } from './migrations.js';
import type { AuditRow, ChangeRow, LinkRow } from './rows.js';
import { parseAuditRow, parseChangeRow, parseLinkRow } from './rows.js';

export type PostgresStoreOptions = {
  clock?: Clock;
  log?: { warn(msg: string): void };
  /** Connections per process (pg.Pool `max`). */
  poolSize?: number;
  /** Rows fetched per query while exporting the audit log. */
  exportBatchSize?: number;
};

const PRUNE_EVERY_MS = 60_000;
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
  const batchSize = opts.exportBatchSize ?? 500;
  let lastPruneAt = 0;
  let pruning: Promise<void> = Promise.resolve();

  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      throw asStoreError(error, url);
    }
  };
  const now = (): string => clock.now().toISOString();
  const selectChange = async (id: string): Promise<Change | null> => {
    const { rows } = await query<ChangeRow>('SELECT id, status, data FROM changes WHERE id = $1', [id]);
    return rows[0] ? parseChangeRow(rows[0]) : null;
  };

  // One statement for every update of a change: the merged document also feeds the derived columns.
  const updateChangeSql = (condition: string) => `
    UPDATE changes
       SET status = COALESCE($3, status),
           data = data || $2::jsonb,
           updated_at = ($2::jsonb ->> 'updatedAt')::timestamptz,
           expires_at = COALESCE(($2::jsonb ->> 'expiresAt')::timestamptz, expires_at)
     WHERE id = $1 ${condition}
    RETURNING id, status, data`;

  return {
    async createChange(change) {
      try {
        await pool.query(
          `INSERT INTO changes (id, status, data, requested_by, created_at, updated_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            change.id,
            change.status,
            JSON.stringify(change),
            change.requestedBy.slackUserId,
            change.createdAt,
            change.updatedAt,
            change.expiresAt ?? null,
          ],
        );
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          throw new AppError('invalid_input', `A change with id ${change.id} already exists`, {
            changeId: change.id,
          });
        }
        throw asStoreError(error, url);
      }
    },

    getChange: selectChange,

    async transitionChange(id, expected, next, patch): Promise<TransitionResult> {
      const fields = { updatedAt: now(), ...definedFields(patch), status: next };
      const { rows } = await query<ChangeRow>(updateChangeSql('AND status = ANY($4::text[])'), [
        id,
        JSON.stringify(fields),
        next,
        [...expected],
      ]);
      if (rows[0]) return { ok: true, change: parseChangeRow(rows[0]) };
      return { ok: false, current: await selectChange(id) };
    },

    async updateChange(id, patch) {
      const fields = { updatedAt: now(), ...definedFields(patch) };
      const { rows } = await query<ChangeRow>(updateChangeSql(''), [id, JSON.stringify(fields), null]);
      return rows[0] ? parseChangeRow(rows[0]) : null;
    },

    async appendOutcomes(id, outcomes) {
      // jsonb concatenation inside one UPDATE: concurrent appends queue on the row lock, none is lost.
      const result = await query(
        `UPDATE changes
            SET data = jsonb_set(data || jsonb_build_object('updatedAt', $3::text), '{outcomes}',
                                 COALESCE(data -> 'outcomes', '[]'::jsonb) || $2::jsonb),
                updated_at = $3::text::timestamptz
          WHERE id = $1`,
        [id, JSON.stringify(outcomes), now()],
      );
      if (result.rowCount === 0)
        throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
    },

    async listChanges({ statuses, requestedBy, limit }) {
      const max = checkLimit(limit);
      const { rows } = await query<ChangeRow>(
        `SELECT id, status, data FROM changes
          WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR requested_by = $2)
          ORDER BY created_at, id COLLATE "C"
          LIMIT $3`,
        [[...statuses], requestedBy ?? null, max ?? null],
      );
      return rows.map(parseChangeRow);
    },

    async appendAudit(entry) {
      await query('INSERT INTO audit (id, at, group_id, data) VALUES ($1, $2, $3, $4)', [
        entry.id,
        entry.at,
        entry.groupId,
        JSON.stringify(entry),
      ]);
    },

    async listAudit({ groupId, limit }) {
      const max = checkLimit(limit);
      const { rows } = await query<AuditRow>(
        `SELECT seq, data FROM audit WHERE ($1::text IS NULL OR group_id = $1) ORDER BY seq DESC LIMIT $2`,
        [groupId ?? null, max ?? null],
      );
      return rows.map(parseAuditRow);
    },

    async *exportAudit({ since }) {
      const from = parseSince(since);
      // Keyset pagination: each batch starts after the last seq seen, so memory holds one batch at a time.
      let after = '0';
      for (;;) {
        const { rows } = await query<AuditRow>(
          `SELECT seq, data FROM audit WHERE seq > $1 AND ($2::timestamptz IS NULL OR at >= $2)
            ORDER BY seq LIMIT $3`,
          [after, from?.toISOString() ?? null, batchSize],
        );
        for (const row of rows) yield parseAuditRow(row);
        const last = rows.at(-1);
        if (!last || rows.length < batchSize) return;
        after = last.seq;
      }
    },

    async claimKey(key, ttlMs) {
      const at = clock.now();
      // Inserted, or taken over once expired; a live key makes the WHERE false and no row comes back.
      const { rows } = await query(
        `INSERT INTO processed_keys (key, expires_at) VALUES ($1, $3)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at
          WHERE processed_keys.expires_at <= $2
         RETURNING key`,
        [key, at.toISOString(), new Date(at.getTime() + ttlMs).toISOString()],
      );
      if (at.getTime() - lastPruneAt >= PRUNE_EVERY_MS) {
        lastPruneAt = at.getTime();
        pruning = query('DELETE FROM processed_keys WHERE expires_at <= $1', [at.toISOString()]).then(
          () => undefined,
          (error: unknown) => opts.log.warn(`store: pruning processed keys failed: ${String(error)}`),
        );
      }
      return rows.length > 0;
    },

    async getLink(slackUserId) {
      const { rows } = await query<LinkRow>(
        'SELECT slack_user_id, data FROM identity_links WHERE slack_user_id = $1',
        [slackUserId],
      );
      return rows[0] ? parseLinkRow(rows[0]) : null;
    },

    async setLink(link) {
      await query(
        `INSERT INTO identity_links (slack_user_id, kantata_user_id, data) VALUES ($1, $2, $3)
         ON CONFLICT (slack_user_id) DO UPDATE
           SET kantata_user_id = EXCLUDED.kantata_user_id, data = EXCLUDED.data, updated_at = now()`,
        [link.slackUserId, link.kantataUserId, JSON.stringify(link)],
      );
    },

    async removeLink(slackUserId) {
      const result = await query('DELETE FROM identity_links WHERE slack_user_id = $1', [slackUserId]);
      return (result.rowCount ?? 0) > 0;
    },

    async ping() {
      // /healthz must answer quickly even while connecting would take the full connection timeout.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      const probe = pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      await pruning;
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Connection trouble becomes `store_unavailable` (the Slack side says "try again"); a refusal by the
 * database itself (constraint, bad input) is a fault of ours and keeps its own message. Never the URL.
 */
function asStoreError(error: unknown, url: string): Error {
  if (error instanceof AppError) return error;
  const sqlState = (error as { code?: unknown }).code;
  const isDatabaseRefusal =
    error instanceof pg.DatabaseError && typeof sqlState === 'string' && !/^(08|53|57|58)/.test(sqlState);
  const message = scrubSecrets(error instanceof Error ? error.message : String(error), url);
  if (isDatabaseRefusal) return new Error(`PostgreSQL refused a store query: ${message}`, { cause: error });
  return new AppError('store_unavailable', `PostgreSQL is unavailable: ${message}`, {}, { cause: error });
}
