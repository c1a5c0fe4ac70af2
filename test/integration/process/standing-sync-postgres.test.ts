/**
 * SPEC §4.7 with two replicas: two bot processes share one PostgreSQL store when a standing sync falls due
 * (both start at once, and both sweep at start). The run happens once: one change, one bulk POST, one DELETE
 * per person leaving, one notification, and the next run one SYNC_INTERVAL later. A run whose source Slack
 * cannot read is held once: one held request, one card.
 *
 * Needs TEST_POSTGRES_URL (`source .ci/postgres.sh`); skipped with a printed line without it, unless CI is set.
 */
import pg from 'pg';
import { expect, it, vi } from 'vitest';
import type { Store } from '../../../src/approvals/ports.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import {
  BOT_APPROVALS_CHANNEL,
  BOT_NOTIFY_CHANNEL,
  botEnv,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { describeOnPostgres } from '../../fakes/postgres-process-world.js';

const HOUR = 3_600_000;

describeOnPostgres(
  'two bot processes on one PostgreSQL store when a standing sync is due',
  { timeout: 120_000, dbPrefix: 'sync_test' },
  (world) => {
    it('runs it once: one change, one POST, two DELETEs, one notification, next run an interval later', async () => {
      const { dbUrl, kantata, slack } = world();
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
      await saveDueSync(store, {
        group,
        handle: 'team',
        usergroupId: 'S0TEAM',
        by: { id: ada.id, name: 'Ada Admin' },
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
      // The run is the bot's own, by a stand-in who has no Home tab to redraw (Slack would say user_not_found).
      const homeFailures = [...a.logs(), ...b.logs()].filter((r) => r.msg === 'could not publish a Home tab');
      expect(homeFailures).toEqual([]);
      await store.close();
    });

    it('holds a run whose user group Slack cannot read once: one held request, one card, nobody changed', async () => {
      const { dbUrl, kantata, slack } = world();
      const ida = slack.addUser({ name: 'ida', realName: 'Ida Admin', email: 'ida@example.com' });
      const group = kantata.addGroup('Held');
      const kantataPeople = kantata.addUsers(3, 'held');
      const slackPeople = slack.addUsers(3, { prefix: 'held', start: 1 });
      for (const user of kantataPeople) kantata.addMembership(user.id, group.id);
      slack.addUsergroup(
        'S0HELD',
        'held',
        slackPeople.map((u) => u.id),
      );
      // Every read of the user group fails while the test runs (both processes, every sweep).
      slack.failNext('usergroups.users.list', 'fatal_error', 10_000);

      const store = await openPostgresStore(dbUrl, { log: { warn: () => undefined }, poolSize: 2 });
      await saveDueSync(store, {
        group,
        handle: 'held',
        usergroupId: 'S0HELD',
        by: { id: ida.id, name: 'Ida Admin' },
      });
      const changesBefore = kantata.requests.filter(
        (r) => r.method === 'POST' || r.method === 'DELETE',
      ).length;
      const env = botEnv({ slack, kantata, storeUrl: dbUrl, extra: { SYNC_INTERVAL: '1h' } });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);
      const cards = () =>
        slack.messages
          .inChannel(BOT_APPROVALS_CHANNEL)
          .filter(
            (m) => JSON.stringify(m).includes('could not be read') && JSON.stringify(m).includes('Held'),
          );
      await vi.waitFor(
        () => {
          if (cards().length === 0) throw new Error('no card yet');
        },
        { timeout: 60_000, interval: 100 },
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(cards()).toHaveLength(1);
      const runs = [...a.logs(), ...b.logs()].filter((r) => r.msg === 'standing sync run');
      expect(runs).toHaveLength(1);
      expect(runs[0]?.outcome).toBe('unreadable');
      const after = await store.getStandingSync(group.id);
      expect(after?.waitingFor).toBe(runs[0]?.changeId);
      const held = await store.getChange(String(runs[0]?.changeId));
      expect(held?.status).toBe('pending');
      expect(held?.standingSync?.brake?.reason).toBe('unreadable_source');
      expect(kantata.memberships(group.id)).toHaveLength(3);
      expect(kantata.requests.filter((r) => r.method === 'POST' || r.method === 'DELETE')).toHaveLength(
        changesBefore,
      );
      await store.close();
    });
  },
);

// Fakes of its own: the test above leaves Slack failing every read of a user group.
describeOnPostgres(
  'a standing sync run across a SIGKILL, on one PostgreSQL store',
  { timeout: 120_000, dbPrefix: 'sync_kill' },
  (world) => {
    it('a run whose process is SIGKILLed mid-apply is finished once by the other, and recorded when its claim lapses', async () => {
      const { dbUrl, kantata, slack } = world();
      kantata.addUser({ email: 'kim@example.com', name: 'Kim Admin', admin: true });
      const kim = slack.addUser({ name: 'kim', realName: 'Kim Admin', email: 'kim@example.com' });
      const group = kantata.addGroup('Killed');
      kantata.addUsers(300, 'killed');
      const slackPeople = slack.addUsers(300, { prefix: 'killed', start: 1 });
      slack.addUsergroup(
        'S0KILL',
        'killed',
        slackPeople.map((u) => u.id),
      );
      const store = await openPostgresStore(dbUrl, { log: { warn: () => undefined }, poolSize: 2 });
      await saveDueSync(store, {
        group,
        handle: 'killed',
        usergroupId: 'S0KILL',
        by: { id: kim.id, name: 'Kim Admin' },
      });
      const env = botEnv({
        slack,
        kantata,
        storeUrl: dbUrl,
        extra: { SYNC_INTERVAL: '1h', CHANGE_LEASE: '3s', KANTATA_CONCURRENCY: '1' },
      });
      const members = () => kantata.memberships(group.id).length;

      // Each Kantata answer takes a second: the run's three POSTs of 100 come one after another.
      kantata.setLatency(1_000);
      const first = await startBotProcess({ env });
      await vi.waitFor(() => expect(members()).toBeGreaterThanOrEqual(100), {
        timeout: 60_000,
        interval: 10,
      });
      first.kill('SIGKILL');
      await first.waitForExit();
      expect(members()).toBeLessThan(300);
      kantata.setLatency(0);

      const second = await startBotProcess({ env });
      const interrupted = await second.waitForLog(
        (r) => r.msg === 'finished a change that was interrupted',
        60_000,
      );
      const changeId = String(interrupted.changeId);
      const notices = () =>
        slack.messages.inChannel(BOT_NOTIFY_CHANNEL).filter((m) => `${m.text}`.includes('Synced Killed'));
      await vi.waitFor(() => expect(notices()).toHaveLength(1), { timeout: 30_000, interval: 100 });
      const posted = kantata.requests
        .filter((r) => r.method === 'POST' && r.path === '/user_group_memberships')
        .flatMap((r) => postedUserIds(r.body));
      expect(new Set(posted).size).toBe(posted.length);
      expect(members()).toBe(300);
      expect((await store.getChange(changeId))?.status).toBe('applied');

      // The killed process still holds the run's claim; once it lapses (ten minutes: moved into the past
      // here), the next sweep records the finished change as the run, and starts no second one.
      expect((await store.getStandingSync(group.id))?.claim).toBeDefined();
      const db = new pg.Client({ connectionString: dbUrl });
      await db.connect();
      await db.query(
        `UPDATE standing_syncs SET data = jsonb_set(data, '{claim,until}', to_jsonb('2000-01-01T00:00:00.000Z'::text)) WHERE group_id = $1`,
        [group.id],
      );
      await db.end();
      const run = await second.waitForLog((r) => r.msg === 'standing sync run', 60_000);
      expect(run).toMatchObject({ changeId, outcome: 'applied' });
      const after = await store.getStandingSync(group.id);
      expect(after?.lastRun).toMatchObject({ outcome: 'applied', changeId });
      expect(after?.claim).toBeUndefined();
      expect(Date.parse(after?.nextRunAt ?? '')).toBeGreaterThan(Date.now() + HOUR - 5 * 60_000);
      expect(notices()).toHaveLength(1);
      expect(
        kantata.requests.filter((r) => r.method === 'POST' && r.path === '/user_group_memberships').length,
      ).toBe(new Set(posted).size / 100);
      await store.close();
    });
  },
);

/** A standing sync of `group` from a Slack user group, as `/groups sync … --keep` saves it, due a minute ago. */
async function saveDueSync(
  store: Store,
  sync: {
    group: { id: string; name: string };
    handle: string;
    usergroupId: string;
    by: { id: string; name: string };
  },
): Promise<void> {
  const dueAt = new Date(Date.now() - 60_000).toISOString();
  await store.saveStandingSync({
    groupId: sync.group.id,
    groupName: sync.group.name,
    source: { key: `usergroup:${sync.usergroupId}`, label: `@${sync.handle}` },
    addOnly: false,
    createdBy: { slackUserId: sync.by.id, name: sync.by.name },
    createdAt: dueAt,
    nextRunAt: dueAt,
  });
}

/** The user ids of one bulk POST /user_group_memberships body. */
function postedUserIds(body: unknown): string[] {
  const list = (body as { user_group_memberships?: { user_id?: unknown }[] } | null)?.user_group_memberships;
  return Array.isArray(list) ? list.map((m) => String(m.user_id)) : [];
}
