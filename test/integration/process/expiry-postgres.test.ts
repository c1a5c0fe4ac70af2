/**
 * SPEC §4.6 with two replicas: two bot processes share one PostgreSQL store when temporary memberships fall
 * due (they fell due while no bot ran; both start at once and sweep at once). Each membership is DELETEd
 * once, the end is announced once, and a reminder due at the same moment is sent once.
 *
 * Needs TEST_POSTGRES_URL (`source .ci/postgres.sh`); skipped with a printed line without it, unless CI is set.
 */
import { expect, it, vi } from 'vitest';
import { ACTION } from '../../../src/slack/ids.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { BOT_NOTIFY_CHANNEL, botEnv, startBotProcess } from '../../fakes/bot-process.js';
import { findElement } from '../../fakes/fake-slack/index.js';
import { describeOnPostgres } from '../../fakes/postgres-process-world.js';
import { seedEnds } from '../../fakes/seed-ends.js';

const HOUR = 3_600_000;

describeOnPostgres(
  'two bot processes on one PostgreSQL store when memberships fall due',
  { timeout: 120_000, dbPrefix: 'expiry_test' },
  (world) => {
    it('each DELETE once, one Access ended notice, one reminder', async () => {
      const { dbUrl, kantata, slack } = world();
      const email = 'ada@example.com';
      const ada = kantata.addUser({ email, name: 'Ada Admin', admin: true });
      const adaSlack = slack.addUser({ name: 'ada', realName: 'Ada Admin', email });
      const design = kantata.addGroup('Design');
      const due = kantata.addUsers(40, 'due');
      const soon = kantata.addUser({ email: 'sam@example.com', name: 'Sam Soon' });
      const samSlack = slack.addUser({ name: 'sam', realName: 'Sam Soon', email: 'sam@example.com' });
      for (const user of [...due, soon]) kantata.addMembership(user.id, design.id);

      // What the bot recorded when it added them (written through the store's own writer): 40 ends two
      // hours ago, one in twelve hours (inside EXPIRY_REMINDER).
      const store = await openPostgresStore(dbUrl, { log: { warn: () => undefined }, poolSize: 2 });
      const now = Date.now();
      const addedBy = { slackUserId: adaSlack.id, kantataUserId: ada.id, name: 'Ada Admin' };
      const common = {
        group: { id: design.id, name: 'Design' },
        addedAt: new Date(now - 30 * 24 * HOUR),
        addedBy,
      };
      await seedEnds(store, { ...common, changeId: 'add1', users: due, endsAt: new Date(now - 2 * HOUR) });
      await seedEnds(store, {
        ...common,
        changeId: 'add2',
        users: [soon],
        endsAt: new Date(now + 12 * HOUR),
      });
      await store.close();

      const env = botEnv({ slack, kantata, storeUrl: dbUrl, extra: { EXPIRY_REMINDER: '1d' } });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);

      const deletes = () => kantata.requests.filter((r) => r.method === 'DELETE');
      const notices = () =>
        slack.messages.inChannel(BOT_NOTIFY_CHANNEL).filter((m) => `${m.text}`.includes('Access ended'));
      await vi.waitFor(
        () => {
          if (notices().length === 0 || deletes().length < 40) throw new Error('not ended yet');
        },
        { timeout: 60_000, interval: 100 },
      );
      const reminders = (userId: string) =>
        slack.messages
          .dmsTo(userId)
          .filter((m) => findElement(m.blocks, ACTION.reminderExtend7) !== undefined);
      await vi.waitFor(
        () => {
          if (reminders(samSlack.id).length === 0) throw new Error('no reminder yet');
        },
        { timeout: 30_000, interval: 100 },
      );
      // Both processes have swept (their first run is at start) and kept sweeping for a while.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(deletes()).toHaveLength(40);
      expect(new Set(deletes().map((r) => r.path)).size).toBe(40);
      expect(notices()).toHaveLength(1);
      expect(`${notices()[0]?.text}`).toContain('removed 40 people');
      expect(reminders(samSlack.id)).toHaveLength(1);
      expect(reminders(adaSlack.id)).toHaveLength(1);
      expect(kantata.memberships(design.id).map((m) => m.userId)).toEqual([soon.id]);
      const logs = [...a.logs(), ...b.logs()].filter((r) => r.msg === 'temporary memberships ended');
      expect(logs).toHaveLength(1);
      expect(logs[0]?.late).toBe('2 hours');
    });
  },
);
