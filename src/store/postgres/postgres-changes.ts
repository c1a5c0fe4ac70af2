import type pg from 'pg';
import type { ChangeStore } from '../../approvals/ports.js';
import { type Change, FINAL_STATUSES, type TransitionResult } from '../../approvals/types.js';
import { AppError } from '../../membership/errors.js';
import { checkLimit, definedFields } from '../change-patch.js';
import { asStoreError, type InTransaction, type Query } from './connection.js';
import { writeEnds } from './postgres-ends.js';
import { type ChangeRow, parseChangeRow } from './rows.js';

export type PostgresChangesDeps = {
  pool: pg.Pool;
  url: string;
  query: Query;
  inTransaction: InTransaction;
  /** Now, as the ISO text every update stamps. */
  now(): string;
  /** Previews created before this are gone (PREVIEW_TTL). */
  previewCutoff(): string;
};

/**
 * Changes in PostgreSQL: one row each (`changes`), the journal of a running one as rows of
 * `change_outcomes`. Every state change is one statement whose WHERE clause is the precondition
 * (compare-and-set), so PostgreSQL's row locks decide races between replicas.
 */
export function createPostgresChanges(deps: PostgresChangesDeps): ChangeStore {
  const { pool, url, query, inTransaction, now, previewCutoff } = deps;
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
