/**
 * SPEC §4.7 with two replicas: two bot processes share one PostgreSQL store when a standing sync falls due
 * (both start at once, and both sweep at start). The run happens once: one change, one bulk POST, one DELETE
 * per person leaving, one notification, and the next run one SYNC_INTERVAL later.
 *
 * Needs TEST_POSTGRES_URL (`source .ci/postgres.sh`); skipped with a printed line without it, unless CI is set.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import {
  BOT_NOTIFY_CHANNEL,
  BOT_SLACK_TOKEN,
  botEnv,
  killBotProcesses,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.js';

const adminUrl = process.env.TEST_POSTGRES_URL;
const HOUR = 3_600_000;

if (!adminUrl) {
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0')
    throw new Error('TEST_POSTGRES_URL is not set, but CI must run this test');
  console.warn(
    'Two-replica standing sync test SKIPPED: TEST_POSTGRES_URL is not set (`source .ci/postgres.sh`)',
  );
  describe.skip('two bot processes running a standing sync (TEST_POSTGRES_URL not set)', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  describeStandingSyncReplicas(adminUrl);
}

function describeStandingSyncReplicas(adminUrl: string) {
  describe('two bot processes on one PostgreSQL store when a standing sync is due', {
    timeout: 120_000,
  }, () => {
    const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
    admin.on('error', () => {});
    const dbName = `sync_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    let dbUrl: string;
    let kantata: FakeKantata;
    let slack: FakeSlack;

    beforeAll(async () => {
      await admin.query(`CREATE DATABASE "${dbName}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      dbUrl = url.toString();
      [kantata, slack] = await Promise.all([
        startFakeKantata(),
        startFakeSlack({ botToken: BOT_SLACK_TOKEN }),
      ]);
    });

    afterAll(async () => {
      await killBotProcesses();
      await Promise.all([kantata?.close(), slack?.close()]);
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    });

    it('runs it once: one change, one POST, two DELETEs, one notification, next run an interval later', async () => {
      kantata.addUser({ email: 'ada@example.com', name: 'Ada Admin', admin: true });
      const ada = slack.addUser({ name: 'ada', realName: 'Ada Admin', email: 'ada@example.com' });
      const group = kantata.addGroup('Design');
      const kantataPeople = kantata.addUsers(8, 'team');
      const slackPeople = slack.addUsers(8, { prefix: 'team', start: 1 });
      // Members 1–5 now; the user group holds 3–8: 3 join, 2 leave.
      for (const user of kantataPeople.slice(0, 5)) kantata.addMembership(user.id, group.id);
      slack.addUsergroup(
        'S0TEAM',
        'team',
        slackPeople.slice(2).map((u) => u.id),
      );

      const store = await openPostgresStore(dbUrl, { log: { warn: () => undefined }, poolSize: 2 });
      const dueAt = new Date(Date.now() - 60_000).toISOString();
      await store.saveStandingSync({
        groupId: group.id,
        groupName: 'Design',
        source: { key: 'usergroup:S0TEAM', label: '@team' },
        addOnly: false,
        createdBy: { slackUserId: ada.id, name: 'Ada Admin' },
        createdAt: dueAt,
        nextRunAt: dueAt,
      });

      const env = botEnv({ slack, kantata, storeUrl: dbUrl, extra: { SYNC_INTERVAL: '1h' } });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);
      const notices = () =>
        slack.messages.inChannel(BOT_NOTIFY_CHANNEL).filter((m) => `${m.text}`.includes('Synced Design'));
      await vi.waitFor(
        () => {
          if (notices().length === 0) throw new Error('not announced yet');
        },
        { timeout: 60_000, interval: 100 },
      );
      // Both processes have swept (their first sweep is at start) and kept sweeping for a while.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const posts = kantata.requests.filter(
        (r) => r.method === 'POST' && r.path === '/user_group_memberships',
      );
      const deletes = kantata.requests.filter((r) => r.method === 'DELETE');
      expect(posts).toHaveLength(1);
      expect(deletes).toHaveLength(2);
      expect(notices()).toHaveLength(1);
      expect(
        kantata
          .memberships(group.id)
          .map((m) => m.userId)
          .sort(),
      ).toEqual(
        kantataPeople
          .slice(2)
          .map((u) => u.id)
          .sort(),
      );
      const runs = [...a.logs(), ...b.logs()].filter((r) => r.msg === 'standing sync run');
      expect(runs).toHaveLength(1);
      expect(runs[0]?.outcome).toBe('applied');
      const after = await store.getStandingSync(group.id);
      expect(after?.lastRun).toMatchObject({ outcome: 'applied', added: 3, removed: 2 });
      expect(Date.parse(after?.nextRunAt ?? '')).toBeGreaterThan(Date.now() + HOUR - 5 * 60_000);
      expect(after?.claim).toBeUndefined();
      await store.close();
    });
  });
}
