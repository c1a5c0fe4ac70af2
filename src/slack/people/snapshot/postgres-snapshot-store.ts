import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { SlackProfile } from '../slack-profile.js';
import { type DirectorySnapshotStore, dedupeById, type RefreshProgress } from './snapshot-store.js';

/**
 * The directory in PostgreSQL (tables of migration "slack directory"), shared by every replica: one row per
 * users.list page, a row per refresh with its cursor, and one state row naming the current snapshot, the
 * refresh under way and who holds the refresh lease. A replica refreshes only while it holds the lease (a
 * compare-and-set on the state row, renewed each page), so the workspace's users.list budget is spent once;
 * the others poll `completeVersion` (one row) and reload when it changes.
 */
export async function openPostgresSnapshotStore(
  url: string,
  log: { warn(msg: string): void },
  /** Brings the schema up to date (the store's migrations, where the directory's tables are one entry). */
  migrate: (pool: pg.Pool) => Promise<unknown>,
): Promise<DirectorySnapshotStore> {
  // Its own small pool: a long page write never waits behind (or holds up) the live store's queries.
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) =>
    log.warn(`slack directory: idle PostgreSQL connection failed: ${error.message}`),
  );
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const q = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    pool.query<R>(text, values);

  return {
    async readComplete() {
      const state = await q<{ id: string; completed_at: Date }>(
        `SELECT r.id, r.completed_at FROM slack_directory_state s
           JOIN slack_directory_refreshes r ON r.id = s.current_refresh WHERE s.id = 1`,
      );
      const current = state.rows[0];
      if (!current) return null;
      const pages = await q<{ profiles: SlackProfile[] }>(
        'SELECT profiles FROM slack_directory_pages WHERE refresh_id = $1 ORDER BY page',
        [current.id],
      );
      return {
        version: current.id,
        loadedAt: current.completed_at.getTime(),
        profiles: dedupeById(pages.rows.flatMap((r) => r.profiles)),
      };
    },
    async completeVersion() {
      const { rows } = await q<{ current_refresh: string | null }>(
        'SELECT current_refresh FROM slack_directory_state WHERE id = 1',
      );
      return rows[0]?.current_refresh ?? null;
    },
    async readProgress(): Promise<RefreshProgress | null> {
      const { rows } = await q<{ id: string; started_at: Date; cursor: string; pages: number }>(
        `SELECT r.id, r.started_at, r.cursor, r.pages FROM slack_directory_state s
           JOIN slack_directory_refreshes r ON r.id = s.in_progress WHERE s.id = 1`,
      );
      const row = rows[0];
      return row
        ? { refreshId: row.id, startedAt: row.started_at.getTime(), cursor: row.cursor, pages: row.pages }
        : null;
    },
    async beginRefresh(startedAt) {
      const refreshId = `${startedAt}-${randomBytes(4).toString('hex')}`;
      await q(
        `WITH fresh AS (INSERT INTO slack_directory_refreshes (id, started_at) VALUES ($1, to_timestamp($2 / 1000.0)) RETURNING id),
              old AS (DELETE FROM slack_directory_refreshes WHERE completed_at IS NULL AND id <> $1)
         UPDATE slack_directory_state SET in_progress = (SELECT id FROM fresh) WHERE id = 1`,
        [refreshId, startedAt],
      );
      return { refreshId, startedAt, cursor: '', pages: 0 };
    },
    async appendPage(refreshId, profiles, nextCursor) {
      const { rowCount } = await q(
        `WITH r AS (UPDATE slack_directory_refreshes SET pages = pages + 1, cursor = $3
                     WHERE id = $1 AND completed_at IS NULL RETURNING pages)
         INSERT INTO slack_directory_pages (refresh_id, page, profiles) SELECT $1, pages, $2::jsonb FROM r`,
        [refreshId, JSON.stringify(profiles), nextCursor],
      );
      if (rowCount === 0) throw new Error('directory refresh superseded');
    },
    async completeRefresh(refreshId, loadedAt) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'UPDATE slack_directory_refreshes SET completed_at = to_timestamp($2 / 1000.0) WHERE id = $1',
          [refreshId, loadedAt],
        );
        await client.query(
          'UPDATE slack_directory_state SET current_refresh = $1, in_progress = NULL WHERE id = 1',
          [refreshId],
        );
        // The previous snapshot's pages go with it (ON DELETE CASCADE): the table holds one directory.
        await client.query(
          'DELETE FROM slack_directory_refreshes WHERE id <> $1 AND completed_at IS NOT NULL',
          [refreshId],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return refreshId;
    },
    async tryLease(owner, ttlMs) {
      const { rowCount } = await q(
        `UPDATE slack_directory_state SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
          WHERE id = 1 AND (lease_owner = $1 OR lease_until IS NULL OR lease_until < now())`,
        [owner, ttlMs],
      );
      return (rowCount ?? 0) > 0;
    },
    close: () => pool.end(),
  };
}
