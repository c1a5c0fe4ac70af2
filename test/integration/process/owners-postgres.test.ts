/**
 * SPEC §4.8 with two replicas: two bot processes share one PostgreSQL store. An administrator names an
 * owner on replica A; a request made on A is sent to the owner once; the owner approves from that DM on
 * replica B (which reads the owners A wrote, at the click); Kantata changes once, and the card and the DM
 * say who approved. Then A removes the owner and B refuses the owner's next click at once.
 *
 * Needs TEST_POSTGRES_URL (`source .ci/postgres.sh`); skipped with a printed line without it, unless CI is set.
 */
import { expect, it, vi } from 'vitest';
import { ACTION } from '../../../src/slack/ids.js';
import {
  askBot,
  BOT_APPROVALS_CHANNEL,
  type BotProcess,
  botEnv,
  buttonValueIn,
  clickMessageButton,
  clickPreviewButton,
  startBotProcess,
  waitForResponse,
} from '../../fakes/bot-process.js';
import { type FakeSlackMessage, findElement } from '../../fakes/fake-slack/index.js';
import { describeOnPostgres } from '../../fakes/postgres-process-world.js';

const WAIT = { timeout: 30_000, interval: 50 };

describeOnPostgres(
  'two bot processes on one PostgreSQL store, with group owners',
  { timeout: 120_000, dbPrefix: 'owners_test' },
  (world) => {
    const text = (m: { text?: unknown; blocks?: unknown } | undefined) =>
      `${m?.text ?? ''}${JSON.stringify(m?.blocks ?? [])}`;

    const command = (bot: BotProcess, userId: string, text: string) =>
      askBot(bot, world().slack, { userId, text });

    /** `line` from `userId` on `bot`, and a click on its preview's Request approval: the change id. */
    async function requestApproval(bot: BotProcess, userId: string, line: string): Promise<string> {
      const preview = await command(bot, userId, line);
      const changeId = buttonValueIn(preview.body, ACTION.changeRequest);
      await clickPreviewButton(bot, world().slack, {
        userId,
        actionId: ACTION.changeRequest,
        responseUrl: preview.responseUrl,
        value: changeId,
      });
      return changeId;
    }

    function clickDm(bot: BotProcess, userId: string, dm: FakeSlackMessage, actionId: string, value: string) {
      const { slack } = world();
      const responseUrl = slack.responseUrl();
      const sent = clickMessageButton(bot, slack, { userId, actionId, value, responseUrl, message: dm });
      return { sent, responseUrl };
    }

    it('an owner named on one replica gets the request once and approves it on the other; a removal holds at once', async () => {
      const { dbUrl, kantata, slack } = world();
      const person = (name: string, isAdmin: boolean) => {
        const email = `${name.toLowerCase()}@example.com`;
        const k = kantata.addUser({ email, name, admin: isAdmin });
        return {
          email,
          kantataId: k.id,
          slackId: slack.addUser({ name: name.toLowerCase(), realName: name, email }).id,
        };
      };
      const ada = person('Ada', true);
      const olive = person('Olive', false);
      const mo = person('Mo', false);
      const nia = person('Nia', false);
      const design = kantata.addGroup('Design');
      const env = botEnv({ slack, kantata, storeUrl: dbUrl });
      const [a, b] = await Promise.all([startBotProcess({ env }), startBotProcess({ env })]);

      expect(text((await command(a, ada.slackId, `owners Design add <@${olive.slackId}>`)).body)).toContain(
        'now an owner',
      );
      const changeId = await requestApproval(a, mo.slackId, `add Design ${nia.email} --reason replicas`);
      const ownerCopies = () =>
        slack.messages
          .dmsTo(olive.slackId)
          .filter((m) => text(m).includes(changeId) && text(m).includes('Request:'));
      let dm: FakeSlackMessage | undefined;
      await vi.waitFor(() => {
        dm = ownerCopies()[0];
        if (!dm) throw new Error(`no owner DM yet; A: ${a.stderr().slice(-1000)}`);
      }, WAIT);

      const approve = clickDm(b, olive.slackId, dm!, ACTION.requestApprove, changeId);
      expect((await approve.sent).status).toBe(200);
      await vi.waitFor(() => {
        if (!kantata.memberships(design.id).some((m) => m.userId === nia.kantataId))
          throw new Error('not added yet');
        const card = slack.messages.inChannel(BOT_APPROVALS_CHANNEL).find((m) => text(m).includes(changeId));
        if (!text(card).includes('APPROVED')) throw new Error('card not updated yet');
        if (!text(ownerCopies()[0]).includes('APPROVED')) throw new Error('owner DM not updated yet');
      }, WAIT);
      // Both replicas ran their jobs meanwhile: still one copy for the owner, one POST.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(ownerCopies()).toHaveLength(1);
      expect(findElement(ownerCopies()[0]?.blocks, ACTION.requestApprove)).toBeUndefined();
      expect(
        kantata.requests.filter((r) => r.method === 'POST' && r.path === '/user_group_memberships'),
      ).toHaveLength(1);

      // Removed on A; B refuses the next click at once (owners are read at the click, not cached).
      await command(a, ada.slackId, `owners Design remove <@${olive.slackId}>`);
      const secondId = await requestApproval(a, mo.slackId, `remove Design ${nia.email} --reason again`);
      await vi.waitFor(() => {
        if (!slack.messages.inChannel(BOT_APPROVALS_CHANNEL).some((m) => text(m).includes(secondId)))
          throw new Error('no card yet');
      }, WAIT);
      const refused = clickDm(b, olive.slackId, dm!, ACTION.requestApprove, secondId);
      await refused.sent;
      expect(text(await waitForResponse(slack, refused.responseUrl, 1, b))).toContain(
        'the owners of this group',
      );
      expect(kantata.memberships(design.id).some((m) => m.userId === nia.kantataId)).toBe(true);
    });
  },
);
