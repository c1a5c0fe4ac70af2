import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import { MIGRATIONS, runMigrations } from '../../src/store/postgres/migrations.js';
import { OWING_SQL, openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { throwawayDatabases, withTestPostgres } from '../fakes/test-postgres.js';
import { describeStoreContract } from './store-contract.js';
import { collect, ManualClock, makeAudit, makeChange } from './store-fixtures.js';

const quiet = { warn: () => undefined };

withTestPostgres('PostgreSQL store tests', describePostgresStore);

/**
 * A pool for the test's own queries. Dropping a database WITH (FORCE) terminates its sessions, and a client
 * that is still closing then reports the termination as an 'error' event: without a listener that would be
 * an uncaught exception, though nothing is wrong.
 */
function testPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  return pool;
}

function describePostgresStore(adminUrl: string) {
  // Every run works in databases of its own, dropped at the end, so runs and files never interfere.
  const databases = throwawayDatabases(adminUrl, 'store_test');

  let dbUrl: string;
  let db: pg.Pool;

  beforeAll(async () => {
    dbUrl = await databases.create();
    db = testPool(dbUrl, 2);
  });

  afterAll(async () => {
    await db?.end();
    await databases.dropAll();
  });

  describeStoreContract('PostgreSQL store', async ({ clock }) => {
    const opened: Store[] = [];
    const open = async () => {
      const store = await openPostgresStore(dbUrl, { clock, log: quiet, poolSize: 4 });
      opened.push(store);
      return store;
    };
    const store = await open();
    await db.query(
      'TRUNCATE changes, change_outcomes, audit, processed_keys, identity_links, membership_ends RESTART IDENTITY',
    );
    return {
      store,
      reopen: open,
      cleanup: async () => {
        for (const s of opened) await s.close();
      },
    };
  });

  describe('PostgreSQL store: replicas and schema', () => {
    it('lets exactly one of two replicas win the same transition', async () => {
      const [a, b] = await Promise.all([
        openPostgresStore(dbUrl, { log: quiet, poolSize: 5 }),
        openPostgresStore(dbUrl, { log: quiet, poolSize: 5 }),
      ]);
      try {
        await a.createChange(makeChange({ id: 'race' }));
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).transitionChange('race', ['pending'], 'approved', {
              decidedBy: { slackUserId: `U${i}` },
            }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const claims = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimKey('k', 60_000)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('two replicas recording where they posted, and deliveries, on the same change at once lose nothing', async () => {
      const [a, b] = await Promise.all([
        openPostgresStore(dbUrl, { log: quiet, poolSize: 5 }),
        openPostgresStore(dbUrl, { log: quiet, poolSize: 5 }),
      ]);
      try {
        await a.createChange(makeChange({ id: 'both' }));
        const posted = { status: 'posted' as const, attempts: 1 };
        await Promise.all([
          ...Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).mergeLocations('both', { [`where${i}`]: String(i) }),
          ),
          a.recordDeliveries('both', { 'decided:approvers': posted }),
          b.recordDeliveries('both', { 'decided:requester': posted }),
        ]);
        const change = await b.getChange('both');
        expect(Object.keys(change?.locations ?? {}).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => `where${i}`).sort(),
        );
        expect(change?.outbox).toEqual({ 'decided:approvers': posted, 'decided:requester': posted });
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('runs each migration once; running them again changes nothing', async () => {
      const url = await databases.create();
      const pool = testPool(url, 1);
      try {
        expect(await runMigrations(pool, quiet)).toEqual(MIGRATIONS.map((m) => m.version));
        const first = await pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
        expect(await runMigrations(pool, quiet)).toEqual([]);
        const store = await openPostgresStore(url, { log: quiet });
        await store.close();
        expect(
          (await pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows,
        ).toEqual(first.rows);
      } finally {
        await pool.end();
      }
    });

    it('reads the audit rows of a database from before links were audited, next to new link rows', async () => {
      const url = await databases.create();
      const pool = testPool(url, 1);
      try {
        // The schema and a row exactly as version 4 left them.
        await pool.query(
          'CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        for (const m of MIGRATIONS.filter((m) => m.version <= 4)) {
          await pool.query(m.sql);
          await pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
        }
        const old = makeAudit({ id: 'old', requestId: 'c1', reason: 'new hires' });
        await pool.query('INSERT INTO audit (id, at, group_id, data) VALUES ($1, $2, $3, $4)', [
          old.id,
          old.at,
          old.groupId,
          JSON.stringify(old),
        ]);
        const store = await openPostgresStore(url, { log: quiet });
        try {
          const link = {
            slackUserId: 'U1',
            kantataUserId: '42',
            linkedBy: 'UA',
            linkedAt: '2026-03-02T00:00:00Z',
          };
          const linked = {
            id: 'l1',
            at: '2026-03-02T00:00:00.000Z',
            event: 'linked' as const,
            actor: { slackUserId: 'UA' },
            slackUserId: 'U1',
            kantataUserId: '42',
          };
          await store.setLink(link, linked);
          expect(await collect(store.exportAudit({}))).toEqual([old, linked]);
          expect(await store.listAudit({ groupId: old.groupId })).toEqual([old]);
          const { rows } = await pool.query(`SELECT group_id FROM audit WHERE id = 'l1'`);
          expect(rows).toEqual([{ group_id: null }]);
        } finally {
          await store.close();
        }
      } finally {
        await pool.end();
      }
    });

    it('lists what is owed reading only the rows owed, however many finished changes there are', async () => {
      const url = await databases.create();
      const store = await openPostgresStore(url, { log: quiet });
      const pool = testPool(url, 1);
      try {
        const pending = { status: 'pending', attempts: 0 };
        const owed = [
          makeChange({ id: 'owed-notice', status: 'applied', notification: pending as never }),
          makeChange({ id: 'owed-dm', status: 'denied', outbox: { 'decided:requester': pending as never } }),
        ];
        for (const change of owed) await store.createChange(change);
        /** Finished and announced changes, as years of history leave them (written in one statement). */
        const addHistory = async (from: number, count: number) => {
          const template = makeChange({
            id: 'x',
            status: 'applied',
            notification: { status: 'posted', attempts: 1 },
            outbox: { 'decided:approvers': { status: 'posted', attempts: 1 } },
          });
          await pool.query(
            `INSERT INTO changes (id, status, data, requested_by, created_at, updated_at)
             SELECT 'old-' || n, 'applied', jsonb_set($1::jsonb, '{id}', to_jsonb('old-' || n)), 'U_REQ',
                    timestamptz '2025-01-01' + n * interval '1 minute', now()
               FROM generate_series($2::int, $3::int) AS n`,
            [JSON.stringify(template), from, from + count - 1],
          );
        };
        /** The rows of `changes` the relay's listing reads (returned or filtered away), from the plan run. */
        const rowsRead = async (): Promise<number> => {
          const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${OWING_SQL}`, [null]);
          let read = 0;
          const walk = (node: Record<string, unknown>) => {
            if (node['Relation Name'] === 'changes') {
              read += Number(node['Actual Rows']) * Number(node['Actual Loops']);
              read +=
                Number(node['Rows Removed by Filter'] ?? 0) +
                Number(node['Rows Removed by Index Recheck'] ?? 0);
            }
            for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
          };
          walk((rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
          return read;
        };

        await addHistory(1, 500);
        expect((await store.listOwing()).map((c) => c.id).sort()).toEqual(['owed-dm', 'owed-notice']);
        expect(await rowsRead()).toBe(2);
        await addHistory(501, 20_000);
        await pool.query('ANALYZE changes');
        expect((await store.listOwing()).map((c) => c.id).sort()).toEqual(['owed-dm', 'owed-notice']);
        expect(await rowsRead()).toBe(2);
      } finally {
        await pool.end();
        await store.close();
      }
    });

    it('opens on a fresh database from several replicas at once', async () => {
      const url = await databases.create();
      const stores = await Promise.all(
        Array.from({ length: 3 }, () => openPostgresStore(url, { log: quiet })),
      );
      try {
        await stores[0]!.createChange(makeChange({ id: 'c1' }));
        expect((await stores[2]!.getChange('c1'))?.id).toBe('c1');
      } finally {
        for (const s of stores) await s.close();
      }
      const pool = testPool(url, 1);
      const { rows } = await pool.query('SELECT version FROM schema_migrations');
      await pool.end();
      expect(rows).toHaveLength(MIGRATIONS.length);
    });

    it('exports a long audit log batch by batch, oldest first', async () => {
      const store = await openPostgresStore(dbUrl, { log: quiet, exportBatchSize: 3 });
      try {
        await db.query('TRUNCATE audit RESTART IDENTITY');
        const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T00:00:00.000Z`;
        for (let d = 1; d <= 10; d++) await store.appendAudit(makeAudit({ id: `a${d}`, at: day(d) }));
        expect((await collect(store.exportAudit({}))).map((e) => e.id)).toEqual(
          Array.from({ length: 10 }, (_, i) => `a${i + 1}`),
        );
        expect((await collect(store.exportAudit({ since: day(4) }))).map((e) => e.id)).toEqual([
          'a4',
          'a5',
          'a6',
          'a7',
          'a8',
          'a9',
          'a10',
        ]);
      } finally {
        await store.close();
      }
    });

    it('reports a row it cannot read with the row it is, instead of passing it on', async () => {
      const store = await openPostgresStore(dbUrl, { log: quiet, clock: new ManualClock() });
      try {
        await store.createChange(makeChange({ id: 'broken' }));
        await db.query(`UPDATE changes SET data = data || '{"plan": "oops"}'::jsonb WHERE id = 'broken'`);
        await expect(store.getChange('broken')).rejects.toThrow(/invalid changes row broken: plan/);
      } finally {
        await store.close();
      }
    });

    it('says the store is unavailable once its connections are gone', async () => {
      const store = await openPostgresStore(dbUrl, { log: quiet });
      await store.close();
      expect(await store.ping()).toBe(false);
    });
  });
}
