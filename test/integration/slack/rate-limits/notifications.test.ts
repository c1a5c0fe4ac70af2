/**
 * Slack's rate limits on the notification path (the real bot in process, its pacer on a clock the test
 * moves): a 429 with Slack's own 30 s Retry-After makes the notification late, never lost or doubled; and a
 * directory load stalled by users.list rate limits holds back nothing else.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { startFakeSlack } from '../../../fakes/fake-slack/index.js';
import { createManualPacerClock } from '../../../fakes/fast-pacer-clock.js';
import { NOTIFY_CHANNEL, type Person, startTestBot, type TestBot } from '../../harness.js';
import { changeIdOf, memberIds, textOf, waitForStatus } from '../commands/support.js';

let h: TestBot | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function notificationsOf(bot: TestBot, changeId: string) {
  return bot.slack.messages.inChannel(NOTIFY_CHANNEL).filter((m) => textOf(m).includes(changeId));
}

async function applyAdd(bot: TestBot, admin: Person, group: string, emails: string[]): Promise<string> {
  const reply = await bot.command(admin.slackId, `add ${group} ${emails.join(' ')}`);
  const changeId = changeIdOf(await bot.waitForResponse(reply.responseUrl));
  await bot.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(bot, changeId, ['applied']);
  return changeId;
}

describe('rate limits and notifications', () => {
  it('a chat.postMessage 429 with Retry-After: 30 posts the notification once, 30 s later', async () => {
    const clock = createManualPacerClock();
    h = await startTestBot({ bot: { pacerClock: clock } });
    const bot = h;
    const admin = bot.addPerson({ name: 'Nia Admin', admin: true });
    const bob = bot.addPerson({ name: 'Bob' });
    const group = bot.kantata.addGroup('Paced');
    bot.slack.failNext('chat.postMessage', 'ratelimited', 1, 30);

    const changeId = await applyAdd(bot, admin, 'Paced', [bob.email]);
    expect(memberIds(bot, group.id)).toEqual([bob.kantataId]);
    await vi.waitFor(() => expect(bot.slack.rateLimitedCounts()['chat.postMessage']).toBe(1));
    // Waiting out the 429 is not a failure: nothing is recorded against the notification.
    await new Promise((r) => setTimeout(r, 300));
    expect(notificationsOf(bot, changeId)).toHaveLength(0);
    expect((await bot.bot.store.getChange(changeId))?.notification).toMatchObject({
      status: 'pending',
      attempts: 0,
    });

    clock.advance(29_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(notificationsOf(bot, changeId)).toHaveLength(0);
    clock.advance(1_000);
    await vi.waitFor(() => expect(notificationsOf(bot, changeId)).toHaveLength(1));
    await vi.waitFor(async () =>
      expect((await bot.bot.store.getChange(changeId))?.notification).toMatchObject({ status: 'posted' }),
    );
    bot.clock.advance(60 * 60_000); // the retry job finds nothing left to post
    await new Promise((r) => setTimeout(r, 600));
    expect(notificationsOf(bot, changeId)).toHaveLength(1);
    expect(
      bot.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === NOTIFY_CHANNEL),
    ).toHaveLength(2);
  });

  it('a directory load stalled by users.list 429s holds back neither previews nor notifications', async () => {
    const clock = createManualPacerClock();
    const slack = await startFakeSlack();
    slack.addUsers(3000, { prefix: 'crowd' });
    // Every users.list call is refused with a minute's Retry-After: the load waits (on the test's clock).
    slack.failNext('users.list', 'ratelimited', 1000, 60);
    h = await startTestBot({ slack, bot: { pacerClock: clock } });
    const bot = h;
    const admin = bot.addPerson({ name: 'Lee Admin', admin: true });
    const ann = bot.addPerson({ name: 'Ann' });
    bot.kantata.addGroup('Busy');
    await vi.waitFor(() => expect(slack.rateLimitedCounts()['users.list']).toBeGreaterThanOrEqual(1));

    const started = Date.now();
    const changeId = await applyAdd(bot, admin, 'Busy', [ann.email]);
    await vi.waitFor(() => expect(notificationsOf(bot, changeId)).toHaveLength(1), { timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(bot.bot.slack.context.directory.stats().loadedAt).toBeNull();
    await bot.stop();
    h = undefined;
    await slack.close();
  });
});
