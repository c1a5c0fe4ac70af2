import type { AuditLog } from '../../approvals/ports.js';
import { isChangeAudit } from '../../approvals/types.js';
import { checkLimit, parseSince } from '../change-patch.js';
import type { Query } from './connection.js';
import { type AuditRow, parseAuditRow } from './rows.js';

/**
 * The audit log in PostgreSQL: one row per entry, in `seq` order; read newest first for `/groups history`
 * and exported oldest first, a batch at a time.
 */
export function createPostgresAudit(query: Query, opts: { exportBatchSize: number }): AuditLog {
  const batchSize = opts.exportBatchSize;
  return {
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
  };
}
