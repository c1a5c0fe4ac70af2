import type { GroupOwnerStore } from '../../approvals/owners/owner-store.js';
import type { InTransaction, Query } from './connection.js';
import { type OwnersRow, parseOwnersRow } from './rows.js';

/**
 * Group owners in PostgreSQL. An edit reads, decides and writes in one transaction holding a lock on that
 * group (an advisory lock, since a group with no owners has no row to lock yet), so two administrators
 * editing at once queue and neither loses the other's owners; the audit row commits with it.
 */
export function createPostgresOwners(query: Query, inTransaction: InTransaction): GroupOwnerStore {
  return {
    async getOwners(groupId) {
      const { rows } = await query<OwnersRow>('SELECT group_id, data FROM group_owners WHERE group_id = $1', [
        groupId,
      ]);
      return rows[0] ? parseOwnersRow(rows[0]) : null;
    },

    async listGroupOwners() {
      const { rows } = await query<OwnersRow>(
        'SELECT group_id, data FROM group_owners ORDER BY group_id COLLATE "C"',
      );
      return rows.map(parseOwnersRow);
    },

    async editOwners(groupId, edit) {
      return inTransaction(async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('group_owners:' || $1, 0))`, [
          groupId,
        ]);
        const { rows } = await client.query<OwnersRow>(
          'SELECT group_id, data FROM group_owners WHERE group_id = $1',
          [groupId],
        );
        const before = rows[0] ? parseOwnersRow(rows[0]) : null;
        const result = edit(before === null ? null : structuredClone(before));
        if (!result) return { before, after: before };
        if (result.next) {
          await client.query(
            `INSERT INTO group_owners (group_id, data, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (group_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
            [groupId, JSON.stringify(result.next), result.next.updatedAt],
          );
        } else {
          await client.query('DELETE FROM group_owners WHERE group_id = $1', [groupId]);
        }
        const { audit } = result;
        await client.query('INSERT INTO audit (id, at, group_id, data) VALUES ($1, $2, $3, $4)', [
          audit.id,
          audit.at,
          audit.groupId,
          JSON.stringify(audit),
        ]);
        return { before, after: result.next };
      });
    },
  };
}
