import type { Pool } from 'pg';

/**
 * Ordered, append-only: a released migration is never edited, a change of schema is a new entry.
 * Each runs in its own transaction together with its `schema_migrations` row.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE changes (
        id text PRIMARY KEY,
        status text NOT NULL,
        data jsonb NOT NULL,
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        expires_at timestamptz
      );
      CREATE INDEX changes_status_created_idx ON changes (status, created_at);
      CREATE INDEX changes_requested_by_idx ON changes (requested_by, status);

      CREATE TABLE audit (
        seq bigserial PRIMARY KEY,
        id text NOT NULL,
        at timestamptz NOT NULL,
        group_id text NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX audit_group_seq_idx ON audit (group_id, seq);
      CREATE INDEX audit_at_idx ON audit (at);

      CREATE TABLE processed_keys (
        key text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX processed_keys_expires_idx ON processed_keys (expires_at);

      CREATE TABLE identity_links (
        slack_user_id text PRIMARY KEY,
        kantata_user_id text NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    name: 'apply journal as rows; live changes indexed; write probe',
    sql: `
      -- One row per recorded batch: a batch costs an INSERT, not a rewrite of the change's document.
      CREATE TABLE change_outcomes (
        seq bigserial PRIMARY KEY,
        change_id text NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        outcomes jsonb NOT NULL
      );
      CREATE INDEX change_outcomes_change_idx ON change_outcomes (change_id, seq);
      INSERT INTO change_outcomes (change_id, outcomes)
        SELECT id, data -> 'outcomes' FROM changes
         WHERE status = 'applying' AND jsonb_typeof(data -> 'outcomes') = 'array'
           AND jsonb_array_length(data -> 'outcomes') > 0;
      UPDATE changes SET data = data - 'outcomes' WHERE data ? 'outcomes';

      -- The announcement retries look for finished changes whose notification is pending: few, however
      -- long the history.
      CREATE INDEX changes_notification_pending_idx ON changes (created_at)
        WHERE (data -> 'notification' ->> 'status') = 'pending';

      CREATE TABLE store_probe (id int PRIMARY KEY, at timestamptz NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'slack directory',
    // Owned by src/slack/people/snapshot/postgres-snapshot-store.ts: the Slack directory between restarts.
    sql: `
      CREATE TABLE slack_directory_refreshes (
        id text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        cursor text NOT NULL DEFAULT '',
        pages int NOT NULL DEFAULT 0,
        completed_at timestamptz
      );
      CREATE TABLE slack_directory_pages (
        refresh_id text NOT NULL REFERENCES slack_directory_refreshes (id) ON DELETE CASCADE,
        page int NOT NULL,
        profiles jsonb NOT NULL,
        PRIMARY KEY (refresh_id, page)
      );
      CREATE TABLE slack_directory_state (
        id int PRIMARY KEY CHECK (id = 1),
        current_refresh text REFERENCES slack_directory_refreshes (id) ON DELETE SET NULL,
        in_progress text REFERENCES slack_directory_refreshes (id) ON DELETE SET NULL,
        lease_owner text,
        lease_until timestamptz
      );
      INSERT INTO slack_directory_state (id) VALUES (1);
    `,
  },
  {
    version: 4,
    name: 'ends of temporary memberships',
    // Live state: a row per temporary membership, dropped once its end has been acted on. The due sweep and
    // the reminders look by end time; claims live in the document and are taken by conditional updates.
    sql: `
      CREATE TABLE membership_ends (
        group_id text NOT NULL,
        user_id text NOT NULL,
        ends_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX membership_ends_ends_at_idx ON membership_ends (ends_at);
    `,
  },
  {
    version: 5,
    name: 'audit rows about no group (links)',
    // `/groups link` and `unlink` are audited; they concern no group. (Older replicas still read the rows
    // of changes; they fail to parse link rows, as an older version does with any newer row kind.)
    sql: `
      ALTER TABLE audit ALTER COLUMN group_id DROP NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'finished changes that owe Slack an announcement, indexed',
    // The relay asks for these every run: with the flag and its partial index the cost is what is owed,
    // not the history (finished changes stay in this table for years). Owed = finished, and the channel
    // notice or any announcement of the outbox still pending (as \`isLive\` in src/store/live-rules.ts).
    // The index of migration 2 looked at the notice only, and is replaced.
    sql: `
      ALTER TABLE changes ADD COLUMN owes boolean GENERATED ALWAYS AS (
        status IN ('denied', 'cancelled', 'expired', 'applied', 'partially_applied', 'failed')
        AND ((data -> 'notification' ->> 'status') = 'pending'
             OR jsonb_path_exists(data, '$.outbox.* ? (@.status == "pending")'))
      ) STORED;
      CREATE INDEX changes_owes_idx ON changes (created_at) WHERE owes;
      DROP INDEX changes_notification_pending_idx;
    `,
  },
  {
    version: 7,
    name: 'standing syncs',
    // Live state: one row per group kept in sync with a Slack source; the run sweep looks by next run.
    sql: `
      CREATE TABLE standing_syncs (
        group_id text PRIMARY KEY,
        next_run_at timestamptz NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX standing_syncs_next_run_at_idx ON standing_syncs (next_run_at);
    `,
  },
  {
    version: 8,
    name: 'group owners; ends by member',
    // Live state: one row per group that has owners, replaced whole by each edit (under a lock per group).
    // The Home tab lists a person's own temporary memberships: ends looked up by member.
    sql: `
      CREATE TABLE group_owners (
        group_id text PRIMARY KEY,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX membership_ends_user_idx ON membership_ends (user_id, ends_at);
    `,
  },
];

/** Any fixed number works; it only has to be the same in every replica of this app. */
const MIGRATION_LOCK_KEY = 4_820_173_615;

/**
 * Brings the schema up to date. Several replicas starting together queue on a transaction-scoped advisory
 * lock, so each migration runs exactly once and the others see it done. Running it again is a no-op.
 * Returns the versions applied by this call.
 */
export async function runMigrations(pool: Pool, log: { warn(msg: string): void }): Promise<number[]> {
  const applied: number[] = [];
  const client = await pool.connect();
  try {
    for (const migration of MIGRATIONS) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        // Created under the lock: two sessions racing on CREATE TABLE IF NOT EXISTS could otherwise collide.
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (done.rowCount === 0) {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
          applied.push(migration.version);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(
          `PostgreSQL migration ${migration.version} (${migration.name}) failed: ${String(error)}`,
          {
            cause: error,
          },
        );
      }
    }
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    const newest = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    const dbVersion = newest.rows[0]?.v ?? 0;
    if (dbVersion > latest) {
      log.warn(
        `store: the PostgreSQL schema is at version ${dbVersion}, newer than this version of the bot knows (${latest}); ` +
          'an older replica is running next to a newer one',
      );
    }
  } finally {
    client.release();
  }
  return applied;
}
