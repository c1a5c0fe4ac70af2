/**
 * SPEC §4.3 / §7: two replicas of the bot (separate processes, HTTP mode) share one PostgreSQL store. The
 * same Approve click reaches both at once (Slack delivering it twice, to two replicas behind a load
 * balancer): exactly one applies the change, the card is updated once, the other click is told who won.
 *
 * Needs TEST_POSTGRES_URL (a server where this user may CREATE DATABASE): `source .ci/postgres.sh`.
 * Skipped with a printed line without it, unless CI is set, where its absence is a failure.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Change } from '../../../src/approvals/types.js';
import { ACTION } from '../../../src/slack/ids.js';
import { approvalThreadReplies } from '../../../src/slack/views/approval-thread.js';
import {
  askBot,
  BOT_APPROVALS_CHANNEL,
  BOT_NOTIFY_CHANNEL,
  BOT_SIGNING_SECRET,
  type BotProcess,
  botEnv,
  buttonValueIn,
  clickMessageButton,
  clickPreviewButton,
  startBotProcess,
  waitForResponse,
} from '../../fakes/bot-process.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import {
  type FakeSlack,
  type FakeSlackMessage,
  findElement,
  sendSlashCommand,
} from '../../fakes/fake-slack/index.js';
import { describeOnPostgres } from '../../fakes/postgres-process-world.js';

describeOnPostgres(
  'two bot processes sharing one PostgreSQL store',
  { timeout: 90_000, dbPrefix: 'replicas_test' },
  (world) => {
    let db: pg.Pool;
    let dbUrl: string;
    let kantata: FakeKantata;
    let slack: FakeSlack;

    beforeAll(() => {
      ({ dbUrl, kantata, slack } = world());
      // The test's own queries. Dropping the database WITH (FORCE) can reach a client still closing.
      db = new pg.Pool({ connectionString: dbUrl, max: 2 });
      db.on('error', () => {});
    });

    afterAll(async () => {
      await db?.end();
    });

    const changeRow = async (id: string): Promise<Change | undefined> =>
      (await db.query<{ data: Change }>('SELECT data FROM changes WHERE id = $1', [id])).rows[0]?.data;

    it('applies a request exactly once when the same Approve click reaches both at once', async () => {
      // A requester who is not an administrator, an administrator who approves, three people to add.
      const person = (name: string, admin: boolean) => {
        const email = `${name.toLowerCase()}@example.com`;
        kantata.addUser({ email, name, admin });
        return { email, slackId: slack.addUser({ name: name.toLowerCase(), realName: name, email }).id };
      };
      const rita = person('Rita', false);
      const adam = person('Adam', true);
      const targets = ['Bob', 'Cat', 'Dan'].map((name) =>
        kantata.addUser({ email: `${name}@example.com`, name }),
      );
      const design = kantata.addGroup('Design');

      // Both replicas start together on an empty database (their migrations queue on one lock).
      const env = botEnv({ slack, kantata, storeUrl: dbUrl });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);

      // Rita asks replica A: a preview with "Request approval", then the click.
      const { responseUrl: previewUrl, body: preview } = await askBot(a, slack, {
        userId: rita.slackId,
        text: `add Design ${targets.map((t) => t.email).join(' ')} --reason New designers`,
      });
      const changeId = buttonValueIn(preview, ACTION.changeRequest);
      expect(changeId).not.toBe('');
      expect(findElement(preview.blocks, ACTION.changeApply)).toBeUndefined();
      await clickPreviewButton(a, slack, {
        userId: rita.slackId,
        actionId: ACTION.changeRequest,
        responseUrl: previewUrl,
        value: changeId,
      });

      // The approval card reaches the approvals channel, with Approve.
      let card: FakeSlackMessage | undefined;
      await vi.waitFor(
        () => {
          card = slack.messages
            .inChannel(BOT_APPROVALS_CHANNEL)
            .find((m) => findElement(m.blocks, ACTION.requestApprove)?.element.value === changeId);
          if (!card) throw new Error(`no approval card yet; A's stderr:\n${a.stderr().slice(-2000)}`);
        },
        { timeout: 30_000, interval: 25 },
      );
      expect((await changeRow(changeId))?.status).toBe('pending');
      kantata.resetRequests();
      // A slower Kantata keeps the winner busy applying while the loser's click arrives at the store.
      kantata.setLatency(200);

      // Adam's one click, delivered twice: once to each replica, each delivery with its own trigger_id.
      const approveUrl = slack.responseUrl();
      const approveClick = (bot: BotProcess) =>
        clickMessageButton(bot, slack, {
          userId: adam.slackId,
          actionId: ACTION.requestApprove,
          responseUrl: approveUrl,
          message: card!,
        });
      const acks = await Promise.all([approveClick(a), approveClick(b)]);
      expect(acks.map((r) => r.status)).toEqual([200, 200]);

      // Both clicks get an answer: the winner's outcome, and the loser's "already approved by …".
      await vi.waitFor(
        async () => {
          const status = (await changeRow(changeId))?.status;
          if (status !== 'applied') throw new Error(`change is ${status}`);
          if (slack.responses.filter((r) => r.url === approveUrl).length < 2)
            throw new Error('waiting for answers');
          if (slack.messages.inChannel(BOT_NOTIFY_CHANNEL).length === 0)
            throw new Error('no notification yet');
        },
        { timeout: 30_000, interval: 50 },
      );
      // Anything late (a third answer, a second application) would show by now.
      await new Promise((resolve) => setTimeout(resolve, 500));

      // Kantata: one bulk POST with the three people; each is a member once.
      const posts = kantata.requests.filter(
        (r) => r.method === 'POST' && r.path === '/user_group_memberships',
      );
      expect(posts).toHaveLength(1);
      const posted =
        (posts[0]?.body as { user_group_memberships?: { user_id: unknown }[] } | undefined)
          ?.user_group_memberships ?? [];
      expect(posted.map((m) => String(m.user_id)).sort()).toEqual(targets.map((t) => t.id).sort());
      const members = kantata.memberships(design.id).map((m) => m.userId);
      expect(members.sort()).toEqual(targets.map((t) => t.id).sort());

      // The store: applied once, approved by Adam, one "approved" and one "applied" audit row.
      const done = await changeRow(changeId);
      expect(done?.status).toBe('applied');
      expect(done?.decidedBy?.slackUserId).toBe(adam.slackId);
      expect(done?.report?.outcomes.map((o) => o.outcome)).toEqual(['added', 'added', 'added']);
      const events = await db.query<{ event: string }>(
        `SELECT data->>'event' AS event FROM audit WHERE data->>'changeId' = $1 ORDER BY seq`,
        [changeId],
      );
      expect(events.rows.map((r) => r.event)).toEqual(['requested', 'approved', 'applied']);

      // Slack: one card, now without buttons and saying APPROVED by Adam; one set of thread replies;
      // one direct message to Rita; one notification.
      const cards = slack.messages.inChannel(BOT_APPROVALS_CHANNEL);
      expect(cards).toHaveLength(1);
      const finalCard = cards[0]!;
      expect(findElement(finalCard.blocks, ACTION.requestApprove)).toBeUndefined();
      const cardText = JSON.stringify(finalCard.blocks);
      expect(cardText.match(/\*APPROVED\* by <@(\w+)>/g)).toEqual([`*APPROVED* by <@${adam.slackId}>`]);
      expect(cardText.match(/Added 3 people to Design/g)).toHaveLength(1);
      expect(slack.messages.replies(finalCard.channel, finalCard.ts)).toHaveLength(
        approvalThreadReplies({ change: done! }).length,
      );
      expect(slack.messages.dmsTo(rita.slackId)).toHaveLength(1);
      expect(slack.messages.inChannel(BOT_NOTIFY_CHANNEL)).toHaveLength(1);

      const answers = slack.responses.filter((r) => r.url === approveUrl).map((r) => JSON.stringify(r.body));
      expect(answers).toHaveLength(2);
      const won = answers.filter((text) => text.includes('Approved and applied'));
      const lost = answers.filter((text) => !text.includes('Approved and applied'));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatch(/already approved|being applied|already applied/);
      expect(lost[0]).toContain(`<@${adam.slackId}>`);

      for (const bot of [a, b]) {
        expect(bot.logs().filter((r) => r.level === 'error')).toEqual([]);
        bot.kill('SIGTERM');
      }
      expect(await a.waitForExit()).toEqual({ code: 0, signal: null });
      expect(await b.waitForExit()).toEqual({ code: 0, signal: null });
    });

    it('a command delivered twice to each replica acks at once while PostgreSQL holds every claim: one preview', async () => {
      kantata.addUser({ email: 'pat.admin@example.com', name: 'Pat Admin', admin: true });
      const pat = slack.addUser({ name: 'pat', realName: 'Pat Admin', email: 'pat.admin@example.com' });
      const target = kantata.addUser({ email: 'eve@example.com', name: 'Eve' });
      kantata.addGroup('Research');
      const env = botEnv({ slack, kantata, storeUrl: dbUrl });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);

      // Every claim of a delivery key now waits for this lock: an ack that needed the database would too.
      const locker = await db.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE processed_keys IN ACCESS EXCLUSIVE MODE');
      const responseUrl = slack.responseUrl();
      const fields = {
        text: `add Research ${target.email}`,
        user_id: pat.id,
        response_url: responseUrl,
        trigger_id: slack.newTriggerId(),
      };
      let acks: { status: number; ms: number }[];
      try {
        const deliveries = [a, b, a, b].map(async (bot) => {
          const started = performance.now();
          const response = await sendSlashCommand(bot.endpoint, BOT_SIGNING_SECRET, fields);
          return { status: response.status, ms: performance.now() - started };
        });
        const stuck = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('an ack waited for PostgreSQL')), 10_000),
        );
        acks = await Promise.race([Promise.all(deliveries), stuck]);
        // Nothing was done yet: the work waits for the claim, the claim for the lock.
        expect(slack.responses.filter((r) => r.url === responseUrl)).toHaveLength(0);
      } finally {
        await locker.query('COMMIT');
        locker.release();
      }
      expect(acks.map((ack) => ack.status)).toEqual([200, 200, 200, 200]);

      await waitForResponse(slack, responseUrl, 1, a);
      // Time for any second preview to show up (it must not).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(slack.responses.filter((r) => r.url === responseUrl)).toHaveLength(1);
      const previews = await db.query(
        `SELECT id FROM changes WHERE status = 'previewed' AND requested_by = $1`,
        [pat.id],
      );
      expect(previews.rowCount).toBe(1);
      const ignored = [...a.logs(), ...b.logs()].filter((r) => r.msg === 'repeated Slack delivery ignored');
      expect(ignored).toHaveLength(3);
    });
  },
);
