import type { IdentityLinkStore } from '../../membership/ports.js';
import type { InTransaction, Query } from './connection.js';
import { type LinkRow, parseLinkRow } from './rows.js';

/** Identity links in PostgreSQL: each written together with its audit row, in one statement or transaction. */
export function createPostgresLinks(query: Query, inTransaction: InTransaction): IdentityLinkStore {
  return {
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
  };
}
