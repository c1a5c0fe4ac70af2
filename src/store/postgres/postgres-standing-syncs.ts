import type pg from 'pg';
import type { StandingSync, StandingSyncStore } from '../../approvals/standing-sync/types.js';
import { applyRunPatch } from '../lowdb/file-standing-syncs.js';
import { describeZodError, standingSyncSchema } from '../schemas.js';
import type { Query } from './connection.js';

type SyncRow = { data: unknown };

function parseSyncRow(row: SyncRow): StandingSync {
  const parsed = standingSyncSchema.safeParse(row.data);
  if (!parsed.success) {
    throw new Error(
      `The PostgreSQL store holds an invalid standing_syncs row: ${describeZodError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * Standing syncs in PostgreSQL, one row per group. Replicas share them: a due run is claimed by one
 * conditional UPDATE (`FOR UPDATE SKIP LOCKED` picks a row no other replica is claiming), so each run
 * happens once; the end of a run is written only by the claim's owner.
 */
export function createPostgresStandingSyncs(
  query: Query,
  inTransaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
): StandingSyncStore {
  const rows = async (text: string, values: unknown[] = []) =>
    (await query<SyncRow>(text, values)).rows.map(parseSyncRow);
  return {
    async saveStandingSync(sync) {
      const { claim: _dropped, ...data } = sync;
      await query(
        `INSERT INTO standing_syncs (group_id, next_run_at, data) VALUES ($1, $2, $3)
         ON CONFLICT (group_id) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, data = EXCLUDED.data`,
        [sync.groupId, sync.nextRunAt, JSON.stringify(data)],
      );
    },
    async getStandingSync(groupId) {
      return (await rows('SELECT data FROM standing_syncs WHERE group_id = $1', [groupId]))[0] ?? null;
    },
    listStandingSyncs() {
      return rows('SELECT data FROM standing_syncs ORDER BY next_run_at, group_id COLLATE "C"');
    },
    async removeStandingSync(groupId) {
      const result = await query('DELETE FROM standing_syncs WHERE group_id = $1', [groupId]);
      return (result.rowCount ?? 0) > 0;
    },
    async claimDueSync({ now, owner, until }) {
      const claimed = await rows(
        `UPDATE standing_syncs s
            SET data = jsonb_set(s.data, '{claim}', jsonb_build_object('owner', $2::text, 'until', $3::text))
          WHERE s.group_id = (
            SELECT group_id FROM standing_syncs
             WHERE next_run_at <= $1::timestamptz
               AND data -> 'paused' IS NULL
               AND (data -> 'claim' IS NULL OR (data -> 'claim' ->> 'until')::timestamptz <= $1::timestamptz)
             ORDER BY next_run_at, group_id COLLATE "C"
             LIMIT 1
             FOR UPDATE SKIP LOCKED)
         RETURNING s.data`,
        [now, owner, until],
      );
      return claimed[0] ?? null;
    },
    finishSyncRun(groupId, owner, patch) {
      // Read and write under the row's lock: only the claim's owner ends its run.
      return inTransaction(async (client) => {
        const { rows: found } = await client.query<SyncRow>(
          'SELECT data FROM standing_syncs WHERE group_id = $1 FOR UPDATE',
          [groupId],
        );
        const current = found[0] ? parseSyncRow(found[0]) : null;
        if (current?.claim?.owner !== owner) return false;
        const next = applyRunPatch(current, patch);
        await client.query('UPDATE standing_syncs SET next_run_at = $2, data = $3 WHERE group_id = $1', [
          groupId,
          next.nextRunAt,
          JSON.stringify(next),
        ]);
        return true;
      });
    },
  };
}
