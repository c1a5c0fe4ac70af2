import pg from 'pg';
import type { Clock, Store } from '../../approvals/ports.js';
import { systemClock } from '../../approvals/ports.js';
import { type Change, FINAL_STATUSES, isChangeAudit, type TransitionResult } from '../../approvals/types.js';
import { AppError } from '../../membership/errors.js';
import { afterAcks } from '../../util/acks-first.js';
import { checkLimit, definedFields, parseSince } from '../change-patch.js';
import { redactUrl, scrubSecrets } from '../redact-url.js';
import { createKeyClaims } from './key-claims.js';
import { runMigrations } from './migrations.js';
import { createPostgresEnds, writeEnds } from './postgres-ends.js';
import { createPostgresOwners } from './postgres-owners.js';
import { createPostgresStandingSyncs } from './postgres-standing-syncs.js';
import type { AuditRow, ChangeRow, LinkRow } from './rows.js';
import { parseAuditRow, parseChangeRow, parseLinkRow } from './rows.js';

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
  const batchSize = opts.exportBatchSize ?? 500;
  let lastPruneAt = 0;
  let pruning: Promise<void> = Promise.resolve();

  // What a query's answer leads to waits for the Slack acknowledgements (see acks-first.ts): pg resolves a
  // query from its socket's data callback, where new Slack requests wait in the same poll phase.
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    let result: pg.QueryResult<R>;
    try {
      result = await pool.query<R>(text, values);
    } catch (error) {
      throw asStoreError(error, url);
    }
    await afterAcks();
    return result;
  };
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
  const now = (): string => clock.now().toISOString();
  /** Previews created before this are gone (PREVIEW_TTL). */
  const previewCutoff = (): string => new Date(clock.now().getTime() - previewTtlMs).toISOString();
  const selectChange = async (id: string): Promise<Change | null> => {
    const { rows } = await query<ChangeRow>(
      `SELECT id, status, data, ${JOURNAL_SQL} AS outcomes FROM changes c
        WHERE id = $1 AND NOT (status = 'previewed' AND created_at <= $2)`,
      [id, previewCutoff()],
    );
    return rows[0] ? parseChangeRow(rows[0]) : null;
  };

  // One statement for every update of a change: the merged document also feeds the derived columns. The
  // journal (`outcomes`) is never part of the document: it is rows of change_outcomes while the change runs,
  // removed in the same statement once it stops running (its report then holds them). The audit row of the
  // step ($4 when given) is inserted by the same statement, so it exists exactly when the step was taken.
  const updateChangeSql = (condition: string) => `
    WITH updated AS (
      UPDATE changes
         SET status = COALESCE($3, status),
             data = (data || $2::jsonb) - 'outcomes',
             updated_at = ($2::jsonb ->> 'updatedAt')::timestamptz,
             expires_at = COALESCE(($2::jsonb ->> 'expiresAt')::timestamptz, expires_at)
       WHERE id = $1 ${condition}
      RETURNING id, status, data
    ), journal_done AS (
      DELETE FROM change_outcomes
       WHERE change_id = $1 AND EXISTS (SELECT 1 FROM updated WHERE status <> 'applying')
    ), audited AS (
      INSERT INTO audit (id, at, group_id, data)
      SELECT $4::jsonb ->> 'id', ($4::jsonb ->> 'at')::timestamptz, $4::jsonb ->> 'groupId', $4::jsonb
       WHERE $4::jsonb IS NOT NULL AND EXISTS (SELECT 1 FROM updated)
    )
    SELECT u.id, u.status, u.data,
           CASE WHEN u.status = 'applying' THEN
             (SELECT COALESCE(jsonb_agg(e ORDER BY o.seq, x.ord), '[]'::jsonb)
                FROM change_outcomes o, jsonb_array_elements(o.outcomes) WITH ORDINALITY AS x(e, ord)
               WHERE o.change_id = u.id)
           END AS outcomes
      FROM updated u`;

  /** Runs `work` in one transaction on one connection: it commits whole or not at all. */
  const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw asStoreError(error, url);
    }
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      await afterAcks();
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asStoreError(error, url);
    } finally {
      client.release();
    }
  };

  return {
    ...createPostgresEnds(query),
    ...createPostgresStandingSyncs(query, inTransaction),
    ...createPostgresOwners(query, inTransaction),

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

    async transitionChange(id, expected, next, patch, also): Promise<TransitionResult> {
      const fields = { updatedAt: now(), ...definedFields(patch), status: next };
      const values = [
        id,
        JSON.stringify(fields),
        next,
        also?.audit ? JSON.stringify(also.audit) : null,
        [...expected],
      ];
      const sql = updateChangeSql('AND status = ANY($5::text[])');
      const ends = also?.ends;
      const rows = ends
        ? await inTransaction(async (client) => {
            const result = await client.query<ChangeRow>(sql, values);
            // The ends move only with the transition: not taken, nothing written.
            if (result.rows[0]) await writeEnds(client, ends);
            return result.rows;
          })
        : (await query<ChangeRow>(sql, values)).rows;
      if (rows[0]) return { ok: true, change: parseChangeRow(rows[0]) };
      return { ok: false, current: await selectChange(id) };
    },

    async updateChange(id, patch, also) {
      const fields = { updatedAt: now(), ...definedFields(patch) };
      const audit = also?.audit ? JSON.stringify(also.audit) : null;
      const { rows } = await query<ChangeRow>(updateChangeSql(''), [id, JSON.stringify(fields), null, audit]);
      return rows[0] ? parseChangeRow(rows[0]) : null;
    },

    async claimChange(id, { lease, now: at, statuses }) {
      // One statement: the WHERE clause is the whole precondition, so of two claimers one row comes back.
      const { rows } = await query<ChangeRow>(
        `UPDATE changes
            SET data = jsonb_set(data || jsonb_build_object('updatedAt', $4::text), '{lease}', $2::jsonb),
                updated_at = $4::text::timestamptz
          WHERE id = $1 AND status = ANY($3::text[])
            AND (data -> 'lease' IS NULL
                 OR (data -> 'lease' ->> 'until')::timestamptz <= $5::text::timestamptz)
        RETURNING id, status, data`,
        [id, JSON.stringify(lease), [...statuses], now(), at],
      );
      return rows[0] ? parseChangeRow(rows[0]) : null;
    },

    async renewLease(id, lease) {
      const result = await query(
        `UPDATE changes SET data = jsonb_set(data, '{lease}', $2::jsonb)
          WHERE id = $1 AND status IN ('approved', 'applying')
            AND data -> 'lease' ->> 'owner' = $2::jsonb ->> 'owner'`,
        [id, JSON.stringify(lease)],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async mergeLocations(id, locations, patch) {
      const { locations: _ignored, ...rest } = definedFields(patch);
      // Merged inside the row update: concurrent merges queue on the row lock and none loses a key.
      const { rows } = await query<ChangeRow>(
        `UPDATE changes
            SET data = jsonb_set(data || $4::jsonb || jsonb_build_object('updatedAt', $3::text), '{locations}',
                                 COALESCE(data -> 'locations', '{}'::jsonb) || $2::jsonb),
                updated_at = $3::text::timestamptz
          WHERE id = $1
        RETURNING id, status, data`,
        [id, JSON.stringify(locations), now(), JSON.stringify(rest)],
      );
      return rows[0] ? parseChangeRow(rows[0]) : null;
    },

    async recordDeliveries(id, deliveries, also) {
      // Merged inside the row update, key by key: concurrent deliveries of two announcements lose nothing.
      // The audit row ($3, a delivery given up) is inserted by the same statement, only if the row exists.
      const { rows } = await query<ChangeRow>(
        `WITH updated AS (
           UPDATE changes
              SET data = jsonb_set(data, '{outbox}', COALESCE(data -> 'outbox', '{}'::jsonb) || $2::jsonb)
            WHERE id = $1
           RETURNING id, status, data
         ), audited AS (
           INSERT INTO audit (id, at, group_id, data)
           SELECT $3::jsonb ->> 'id', ($3::jsonb ->> 'at')::timestamptz, $3::jsonb ->> 'groupId', $3::jsonb
            WHERE $3::jsonb IS NOT NULL AND EXISTS (SELECT 1 FROM updated)
         )
         SELECT id, status, data FROM updated`,
        [id, JSON.stringify(deliveries), also?.audit ? JSON.stringify(also.audit) : null],
      );
      return rows[0] ? parseChangeRow(rows[0]) : null;
    },

    async appendOutcomes(id, outcomes) {
      // One row per batch: the cost is the batch, whatever the journal holds already.
      const result = await query(
        `INSERT INTO change_outcomes (change_id, outcomes) SELECT id, $2::jsonb FROM changes WHERE id = $1`,
        [id, JSON.stringify(outcomes)],
      );
      if (result.rowCount === 0)
        throw new AppError('change_not_found', `No change with id ${id}`, { changeId: id });
    },

    async listOwing({ limit } = {}) {
      const { rows } = await query<ChangeRow>(OWING_SQL, [checkLimit(limit) ?? null]);
      return rows.map(parseChangeRow);
    },

    async listChanges({ statuses, requestedBy, limit }) {
      const max = checkLimit(limit);
      const { rows } = await query<ChangeRow>(
        `SELECT id, status, data, ${JOURNAL_SQL} AS outcomes FROM changes c
          WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR requested_by = $2)
            AND (status <> ALL($4::text[]) OR owes)
            AND NOT (status = 'previewed' AND created_at <= $5)
          ORDER BY created_at, id COLLATE "C"
          LIMIT $3`,
        [[...statuses], requestedBy ?? null, max ?? null, [...FINAL_STATUSES], previewCutoff()],
      );
      return rows.map(parseChangeRow);
    },

    async appendAudit(entry) {
      await query('INSERT INTO audit (id, at, group_id, data) VALUES ($1, $2, $3, $4)', [
        entry.id,
        entry.at,
        isChangeAudit(entry) ? entry.groupId : null,
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

    async getLink(slackUserId) {
      const { rows } = await query<LinkRow>(
        'SELECT slack_user_id, data FROM identity_links WHERE slack_user_id = $1',
        [slackUserId],
      );
      return rows[0] ? parseLinkRow(rows[0]) : null;
    },

    async setLink(link, audit) {
      // One statement: the link and its audit row are written together or not at all.
      await query(
        `WITH linked AS (
           INSERT INTO identity_links (slack_user_id, kantata_user_id, data) VALUES ($1, $2, $3)
           ON CONFLICT (slack_user_id) DO UPDATE
             SET kantata_user_id = EXCLUDED.kantata_user_id, data = EXCLUDED.data, updated_at = now()
         )
         INSERT INTO audit (id, at, group_id, data) VALUES ($4, $5, NULL, $6)`,
        [
          link.slackUserId,
          link.kantataUserId,
          JSON.stringify(link),
          audit.id,
          audit.at,
          JSON.stringify(audit),
        ],
      );
    },

    async removeLink(slackUserId, audit) {
      // In one transaction: the row of the removed link (locked by the DELETE) names whom the audit row
      // says was unlinked; a concurrent unlink finds nothing to remove and writes no row.
      return inTransaction(async (client) => {
        const { rows } = await client.query<LinkRow>(
          'DELETE FROM identity_links WHERE slack_user_id = $1 RETURNING slack_user_id, data',
          [slackUserId],
        );
        if (!rows[0]) return false;
        const entry = audit(parseLinkRow(rows[0]));
        await client.query('INSERT INTO audit (id, at, group_id, data) VALUES ($1, $2, NULL, $3)', [
          entry.id,
          entry.at,
          JSON.stringify(entry),
        ]);
        return true;
      });
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

/**
 * The finished changes that owe an announcement, through the partial index on `owes` (migration 6): the
 * rows read are the rows owed, however many finished changes the table holds. ($1: a limit or null.)
 */
export const OWING_SQL = `SELECT id, status, data FROM changes WHERE owes ORDER BY created_at, id COLLATE "C" LIMIT $1`;

/** The journal of a running change, in order, as one jsonb array (`c` is the changes row). */
const JOURNAL_SQL = `CASE WHEN c.status = 'applying' THEN
  (SELECT COALESCE(jsonb_agg(e ORDER BY o.seq, x.ord), '[]'::jsonb)
     FROM change_outcomes o, jsonb_array_elements(o.outcomes) WITH ORDINALITY AS x(e, ord)
    WHERE o.change_id = c.id)
END`;

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
