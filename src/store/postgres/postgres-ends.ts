import type pg from 'pg';
import type { MembershipEndStore } from '../../approvals/expiry/end-store.js';
import type { EndsWrite, MembershipEnd } from '../../approvals/expiry/types.js';
import { describeZodError, membershipEndSchema } from '../schemas.js';
import type { Query } from './connection.js';

type EndRow = { data: unknown };

/** Same order as the embedded store: soonest end, then group and user in code-point order. */
const ORDER = `ORDER BY ends_at, group_id COLLATE "C", user_id COLLATE "C"`;
const CLAIM_FREE = `(data -> 'claim' IS NULL OR (data -> 'claim' ->> 'until')::timestamptz <= $NOW::timestamptz)`;
const keysMatch = `m.group_id = k ->> 'groupId' AND m.user_id = k ->> 'userId'`;

export function parseEndRow(row: EndRow): MembershipEnd {
  const parsed = membershipEndSchema.safeParse(row.data);
  if (!parsed.success) {
    throw new Error(
      `The PostgreSQL store holds an invalid membership_ends row: ${describeZodError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * A finishing change's write to the ends, run by the caller inside the transaction of its transition (so
 * the two commit together). Each kind is one statement over a jsonb array: its cost is the people changed.
 */
export async function writeEnds(client: pg.PoolClient, write: EndsWrite): Promise<void> {
  if (write.set.length > 0) {
    await client.query(
      `INSERT INTO membership_ends (group_id, user_id, ends_at, data)
       SELECT e ->> 'groupId', e ->> 'userId', (e ->> 'endsAt')::timestamptz, e FROM jsonb_array_elements($1::jsonb) e
       ON CONFLICT (group_id, user_id) DO UPDATE SET ends_at = EXCLUDED.ends_at, data = EXCLUDED.data`,
      [JSON.stringify(write.set)],
    );
  }
  if (write.drop.length > 0) {
    await client.query(
      `DELETE FROM membership_ends m USING jsonb_array_elements($1::jsonb) k
        WHERE ${keysMatch} AND (k ->> 'claimedBy' IS NULL OR m.data -> 'claim' ->> 'changeId' = k ->> 'claimedBy')`,
      [JSON.stringify(write.drop)],
    );
  }
  if (write.release.length > 0) {
    await client.query(
      `UPDATE membership_ends m
          SET data = (m.data - 'claim') || jsonb_build_object(
                'failures', COALESCE((m.data ->> 'failures')::int, 0) + 1, 'lastError', k ->> 'error')
         FROM jsonb_array_elements($1::jsonb) k
        WHERE ${keysMatch} AND m.data -> 'claim' ->> 'changeId' = k ->> 'claimedBy'`,
      [JSON.stringify(write.release)],
    );
  }
}

/** The reads and claims of the ends; each claim is one conditional UPDATE, so row locks decide races. */
export function createPostgresEnds(query: Query): MembershipEndStore {
  const ends = async (text: string, values: unknown[]) =>
    (await query<EndRow>(text, values)).rows.map(parseEndRow);
  return {
    getEnds(groupId, userIds) {
      return ends('SELECT data FROM membership_ends WHERE group_id = $1 AND user_id = ANY($2::text[])', [
        groupId,
        [...userIds],
      ]);
    },

    listEnds({ groupId, userId, offset = 0, limit }) {
      return ends(
        `SELECT data FROM membership_ends
          WHERE ($1::text IS NULL OR group_id = $1) AND ($4::text IS NULL OR user_id = $4)
          ${ORDER} OFFSET $2 LIMIT $3`,
        [groupId ?? null, offset, limit ?? null, userId ?? null],
      );
    },

    async countEnds({ groupId }) {
      const { rows } = await query<{ n: string }>(
        'SELECT count(*) AS n FROM membership_ends WHERE ($1::text IS NULL OR group_id = $1)',
        [groupId ?? null],
      );
      return Number(rows[0]?.n ?? 0);
    },

    listDueEnds({ now, limit }) {
      return ends(
        `SELECT data FROM membership_ends WHERE ends_at <= $1::timestamptz AND ${CLAIM_FREE.replaceAll('$NOW', '$1')}
         ${ORDER} LIMIT $2`,
        [now, limit],
      );
    },

    claimEnds(keys, claim, now) {
      // A second claimer waits on the row lock, then sees the first one's live claim and skips the row.
      return ends(
        `UPDATE membership_ends m SET data = jsonb_set(m.data, '{claim}', $2::jsonb)
           FROM jsonb_array_elements($1::jsonb) k
          WHERE ${keysMatch} AND m.ends_at <= $3::timestamptz
            AND (m.data -> 'claim' IS NULL OR (m.data -> 'claim' ->> 'until')::timestamptz <= $3::timestamptz)
        RETURNING m.data`,
        [
          JSON.stringify(keys.map((k) => ({ groupId: k.groupId, userId: k.userId }))),
          JSON.stringify(claim),
          now,
        ],
      );
    },

    claimReminders({ now, remindBeforeMs, claimUntil, limit }) {
      const due = `ends_at > $1::timestamptz AND ends_at <= $1::timestamptz + $2 * interval '1 millisecond'
        AND data -> 'reminder' ->> 'sentAt' IS NULL
        AND (data -> 'reminder' ->> 'claimedUntil' IS NULL
             OR (data -> 'reminder' ->> 'claimedUntil')::timestamptz <= $1::timestamptz)`;
      return ends(
        `UPDATE membership_ends SET data = jsonb_set(data, '{reminder}', jsonb_build_object('claimedUntil', $3::text))
          WHERE (group_id, user_id) IN (
                  SELECT group_id, user_id FROM membership_ends WHERE ${due} ${ORDER} LIMIT $4 FOR UPDATE SKIP LOCKED)
            AND ${due}
        RETURNING data`,
        [now, remindBeforeMs, claimUntil, limit],
      );
    },

    async markReminded(sent, at) {
      if (sent.length === 0) return;
      await query(
        `UPDATE membership_ends m SET data = jsonb_set(m.data, '{reminder}', jsonb_build_object('sentAt', $2::text))
           FROM jsonb_array_elements($1::jsonb) k
          WHERE ${keysMatch} AND m.ends_at = (k ->> 'endsAt')::timestamptz`,
        [JSON.stringify(sent.map((e) => ({ groupId: e.groupId, userId: e.userId, endsAt: e.endsAt }))), at],
      );
    },
  };
}
