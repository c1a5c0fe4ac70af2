/**
 * The Slack directory between restarts and between replicas: saved page by page beside the store, loaded
 * at start, resumed from its cursor, refreshed by one replica only on PostgreSQL; and on the first start
 * ever, few people are asked one by one while many wait for the listing (the person is told).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackDirectory, type SlackDirectory } from '../../../../src/slack/people/index.js';
import { createFileSnapshotStore } from '../../../../src/slack/people/snapshot/file-snapshot-store.js';
import { openPostgresSnapshotStore } from '../../../../src/slack/people/snapshot/postgres-snapshot-store.js';
import type { DirectorySnapshotStore } from '../../../../src/slack/people/snapshot/snapshot-store.js';
import { runMigrations } from '../../../../src/store/postgres/migrations.js';
import { type FakeSlack, startFakeSlack } from '../../../fakes/fake-slack/index.js';
import { throwawayDatabases } from '../../../fakes/test-postgres.js';

const quiet = { warn: () => {}, debug: () => {}, info: () => {} };
const migrate = (pool: pg.Pool) => runMigrations(pool, quiet);

let fake: FakeSlack;
let dir: string;
let directories: SlackDirectory[];

beforeEach(async () => {
  fake = await startFakeSlack();
  dir = mkdtempSync(join(tmpdir(), 'directory-snapshots-'));
  directories = [];
});
afterEach(async () => {
  for (const d of directories) await d.stop();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(failAfterListPages?: number) {
  const web = new webApi.WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    timeout: 5000,
    logLevel: webApi.LogLevel.ERROR,
  });
  if (failAfterListPages === undefined) return web;
  let pages = 0;
  const list = web.users.list.bind(web.users);
  // A process that dies half-way through the listing: the page after `failAfterListPages` never comes.
  web.users.list = (async (args) => {
    if (++pages > failAfterListPages) throw new Error('the process stopped here');
    return list(args);
  }) as typeof web.users.list;
  return web;
}

function directory(
  snapshots: DirectorySnapshotStore,
  opts: Partial<Parameters<typeof createSlackDirectory>[0]> = {},
) {
  const d = createSlackDirectory({ client: client(), snapshots, logger: quiet, ...opts });
  directories.push(d);
  return d;
}

const mentions = (ids: string[]) => ids.map((userId) => ({ kind: 'slack_user' as const, userId }));

describe('the embedded store: files beside the store file', () => {
  it('after a restart, 1,000 mentions resolve from the saved directory: no users.list, no users.info', async () => {
    const people = fake.addUsers(5000, { prefix: 'p', domain: 'corp.test' });
    const first = directory(createFileSnapshotStore(dir));
    await first.start();
    await vi.waitFor(() => expect(first.stats().users).toBe(5002), { timeout: 20_000 });
    await first.stop();
    expect(fake.callCounts()['users.list']).toBe(26);

    fake.reset();
    const second = directory(createFileSnapshotStore(dir));
    await second.start();
    expect(second.stats().users).toBe(5002);
    const refs = await second.resolvePersonTokens(mentions(people.slice(0, 1000).map((p) => p.id)));
    expect(refs).toHaveLength(1000);
    expect(refs.every((r) => r.kind === 'email')).toBe(true);
    expect(fake.callCounts()).toEqual({});
  });

  it('resumes a refresh cut off half-way from its saved cursor', async () => {
    fake.addUsers(5000);
    const snapshots = createFileSnapshotStore(dir);
    const cut = createSlackDirectory({ client: client(10), snapshots, logger: quiet });
    await expect(cut.refresh()).rejects.toThrow('the process stopped here');
    expect(fake.callsTo('users.list')).toHaveLength(10);
    const progress = await snapshots.readProgress();
    expect(progress).toMatchObject({ pages: 10 });
    expect(progress?.cursor).not.toBe('');

    fake.reset();
    const next = directory(createFileSnapshotStore(dir));
    await next.refresh();
    const calls = fake.callsTo('users.list');
    expect(calls).toHaveLength(16);
    expect(calls[0]?.args.cursor).toBe(progress?.cursor);
    expect(next.stats().users).toBe(5002);
  });
});

describe('the first start ever (no saved directory)', () => {
  it('looks up to 50 people up with users.info instead of waiting for the listing', async () => {
    const few = fake.addUsers(3);
    fake.addUsers(3000, { prefix: 'other' });
    fake.setLatency(50);
    const d = directory(createFileSnapshotStore(dir));
    const onWait = vi.fn(async () => {});
    const refs = await d.resolvePersonTokens(mentions(few.map((u) => u.id)), { onWait });
    expect(refs.map((r) => r.kind)).toEqual(['email', 'email', 'email']);
    expect(fake.callsTo('users.info')).toHaveLength(3);
    expect(fake.callsTo('users.list')).toHaveLength(0);
    expect(onWait).not.toHaveBeenCalled();
  });

  it('tells the person at once when more must wait for the listing, then resolves them', async () => {
    const many = fake.addUsers(1000);
    fake.addUsers(1000, { prefix: 'other' });
    const d = directory(createFileSnapshotStore(dir));
    const waits: unknown[] = [];
    const refs = await d.resolvePersonTokens(mentions(many.map((u) => u.id)), {
      onWait: async (w) => {
        waits.push({ ...w, usersListCallsSoFar: fake.callsTo('users.list').length });
      },
    });
    expect(waits).toEqual([{ people: 1000, etaMs: 15_000, usersListCallsSoFar: 0 }]);
    expect(refs).toHaveLength(1000);
    expect(fake.callsTo('users.info')).toHaveLength(0);
  });
});

const adminUrl = process.env.TEST_POSTGRES_URL;
(adminUrl ? describe : describe.skip)('several replicas on PostgreSQL', () => {
  const databases = throwawayDatabases(adminUrl ?? '', 'directory_test');
  let dbUrl: string;

  beforeAll(async () => {
    dbUrl = await databases.create();
  });
  afterAll(async () => {
    await databases.dropAll();
  });

  it('one refreshes (the users.list budget is spent once), every replica reads the result', async () => {
    fake.addUsers(5000);
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresSnapshotStore(dbUrl, quiet, migrate)));
    try {
      const replicas = stores.map((snapshots, i) =>
        directory(snapshots, { owner: `replica-${i}`, followIntervalMs: 100 }),
      );
      await Promise.all(replicas.map((d) => d.start()));
      await vi.waitFor(() => expect(replicas.map((d) => d.stats().users)).toEqual([5002, 5002, 5002]), {
        timeout: 30_000,
      });
      expect(fake.callsTo('users.list')).toHaveLength(26);

      // A replica started later loads the saved directory and lists nothing.
      const late = directory(await openPostgresSnapshotStore(dbUrl, quiet, migrate), { owner: 'late' });
      await late.start();
      expect(late.stats().users).toBe(5002);
      expect(fake.callsTo('users.list')).toHaveLength(26);
    } finally {
      for (const d of directories.splice(0)) await d.stop();
      for (const s of stores) await s.close();
    }
  });

  it('resumes from the saved cursor when the refreshing replica stopped half-way', async () => {
    fake.addUsers(3000);
    const pool = new pg.Pool({ connectionString: dbUrl, max: 1 });
    await pool.query(
      'UPDATE slack_directory_state SET current_refresh = NULL, in_progress = NULL, lease_owner = NULL, lease_until = NULL',
    );
    await pool.query('DELETE FROM slack_directory_refreshes');
    await pool.end();
    const a = await openPostgresSnapshotStore(dbUrl, quiet, migrate);
    const b = await openPostgresSnapshotStore(dbUrl, quiet, migrate);
    try {
      const cut = createSlackDirectory({ client: client(4), snapshots: a, owner: 'cut', logger: quiet });
      await expect(cut.refresh()).rejects.toThrow();
      fake.reset();
      // The lease of the replica that stopped still runs; once it is released (here: the same owner), the rest follows.
      const next = directory(b, { owner: 'cut' });
      await next.refresh();
      expect(fake.callsTo('users.list')).toHaveLength(16 - 4);
      expect(next.stats().users).toBe(3002);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
