import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { sendSignedForm } from '../../../fakes/fake-slack/index.js';
import { NOTIFY_CHANNEL, type Person, SIGNING_SECRET, type TestBot } from '../../harness.js';
import {
  changeIdOf,
  expectAllAccepted,
  memberIds,
  membershipPosts,
  startCommandTestBot,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;
let admin: Person;

beforeAll(async () => {
  h = await startCommandTestBot();
  admin = h.addPerson({ name: 'Ada Admin', admin: true });
});

afterAll(async () => {
  await h?.stop();
});

/** A later command still gets its answer: the process kept running. */
async function stillAnswers(): Promise<void> {
  const reply = await h.command(admin.slackId, 'help');
  expect(textOf(await h.waitForResponse(reply.responseUrl))).toContain('/groups add');
}

describe('Slack retries and malformed payloads', () => {
  it('does the work of a retried command once', async () => {
    h.kantata.addGroup('Retry');
    const first = await h.command(admin.slackId, `add Retry ${admin.email}`);
    const retry = await h.command(admin.slackId, `add Retry ${admin.email}`, {
      triggerId: first.triggerId,
      responseUrl: first.responseUrl,
      retryNum: 1,
      expectResponses: 0,
    });
    expect(retry.status).toBe(200);
    // A third, new command takes the same path; once its preview is there, a retried one would be too.
    await h.command(admin.slackId, `add Retry ${admin.email}`);
    expect(h.responsesTo(first.responseUrl)).toHaveLength(1);
    const previews = await h.bot.store.listChanges({ statuses: ['previewed'] });
    expect(previews.filter((c) => c.group.name === 'Retry')).toHaveLength(2);
  });

  it('answers garbage with a 4xx and keeps running', async () => {
    const garbage = await sendSignedForm(h.endpoint, SIGNING_SECRET, 'payload=%7Bnot-json');
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    const unsigned = await sendSignedForm(h.endpoint, 'wrong-secret', 'payload=%7B%7D');
    expect(unsigned.status).toBe(401);
    await stillAnswers();
  });

  it('answers a button with an unknown or missing change id clearly', async () => {
    const unknown = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.changeApply, 'no-such-change', { responseUrl: unknown });
    expect(textOf(await h.waitForResponse(unknown))).toContain('no longer available');
    const bad = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.changeCancel, '<script>', { responseUrl: bad });
    expect(textOf(await h.waitForResponse(bad))).toContain('no longer available');
    const page = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.membersPage, 'x:y', { responseUrl: page });
    expect(textOf(await h.waitForResponse(page))).toContain('This button is not valid');
    await stillAnswers();
  });

  it('answers a click that carries no value and no response_url in the channel, ephemerally', async () => {
    const res = await h.interact({
      type: 'block_actions',
      user: { id: admin.slackId },
      team: { id: h.slack.teamId },
      api_app_id: h.slack.appId,
      trigger_id: h.slack.newTriggerId(),
      channel: { id: 'C0FAKECHAN' },
      actions: [{ type: 'button', action_id: ACTION.changeApply, block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    await vi.waitFor(() => {
      const answer = h.slack.messages.ephemerals.find((e) => e.user === admin.slackId);
      expect(answer?.text).toContain('no longer available');
    });
  });

  it('keeps running after block actions Bolt itself cannot read', async () => {
    // Without `user`, Bolt fails before any listener runs (it answers 500); without `actions`, no listener
    // matches and Bolt answers 404 after its 3-second wait. Neither is a success, and the bot carries on.
    const noUser = await h.interact({
      type: 'block_actions',
      team: { id: h.slack.teamId },
      api_app_id: h.slack.appId,
      trigger_id: h.slack.newTriggerId(),
      response_url: h.slack.responseUrl(),
      actions: [{ type: 'button', action_id: ACTION.changeApply, block_id: 'b' }],
    });
    expect(noUser.status).toBeGreaterThanOrEqual(400);
    const noActions = await h.interact({
      type: 'block_actions',
      user: { id: admin.slackId },
      team: { id: h.slack.teamId },
    });
    expect(noActions.status).toBeGreaterThanOrEqual(400);
    await stillAnswers();
  });
});

describe('scale', () => {
  it('resolves 300 people named through one user-group mention without a Slack call per person', async () => {
    const group = h.kantata.addGroup('Crowd');
    h.kantata.addUsers(300, 'crowd');
    const slackUsers = h.slack.addUsers(300, { prefix: 'crowd', start: 1 });
    h.slack.addUsergroup(
      'S0CROWD',
      'crowd',
      slackUsers.map((u) => u.id),
    );
    await h.bot.slack.context.directory.refresh();
    h.slack.reset();

    const reply = await h.command(admin.slackId, 'add Crowd <!subteam^S0CROWD|@crowd>');
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain('Will be added');
    expect(textOf(preview)).toContain('(300)');
    expect(h.slack.calls.length).toBeLessThan(10);
    expect(h.slack.callsTo('usergroups.users.list')).toHaveLength(1);

    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeIdOf(preview), ['applied']);
    expect(memberIds(h, group.id)).toHaveLength(300);
    expectAllAccepted(h);
  });

  it('keeps a preview, a result and a notification of 250 people within Block Kit limits', async () => {
    const group = h.kantata.addGroup('Long List');
    const people = h.kantata.addUsers(250, 'longlist');
    const reply = await h.command(admin.slackId, `add "Long List" ${people.map((p) => p.email).join(' ')}`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toMatch(/…and [0-9,]+ more/);
    const changeId = changeIdOf(preview);
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toHaveLength(250);
    await vi.waitFor(() =>
      expect(textOf(h.responsesTo(reply.responseUrl).at(-1)?.body)).toContain(
        'Added 250 people to Long List',
      ),
    );
    const change = await waitForNotified(changeId);
    // The names follow in thread replies, posted just after the notification itself.
    await vi.waitFor(() => {
      const replies = h.slack.messages.replies(NOTIFY_CHANNEL, change.locations!.notifyTs!);
      const names = replies.map(textOf).join('\n');
      for (const person of people) expect(names).toContain(person.email);
    });
    expectAllAccepted(h);
    const refusedPosts = h.slack.callsTo('chat.postMessage').length - h.slack.messages.all().length;
    expect(refusedPosts).toBeLessThanOrEqual(0);
  });
});

describe('notifications', () => {
  it('retries a notification that could not be posted, and posts it once', async () => {
    const group = h.kantata.addGroup('Quiet');
    // Earlier tests' thread replies may still be posting: the failure must hit this notification.
    await vi.waitFor(() => expect(h.bot.slack.context.work.size).toBe(0), { timeout: 15_000 });
    h.slack.failNext('chat.postMessage', 'not_in_channel');
    const reply = await h.command(admin.slackId, `add Quiet ${admin.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toEqual([admin.kantataId]);

    await vi.waitFor(async () => {
      const change = await h.bot.store.getChange(changeId);
      expect(change?.notification).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'not_in_channel',
      });
    });
    expect(notificationsOf(changeId)).toHaveLength(0);

    h.clock.advance(5 * 60_000); // past the back-off; the retry job runs every 200 ms in tests
    const change = await waitForNotified(changeId);
    expect(change.notification).toMatchObject({ status: 'posted', attempts: 2 });
    h.clock.advance(60 * 60_000);
    await stillAnswers();
    expect(notificationsOf(changeId)).toHaveLength(1);
    expect(membershipPosts(h)).toBeGreaterThan(0);
  });
});

function notificationsOf(changeId: string) {
  return h.slack.messages.inChannel(NOTIFY_CHANNEL).filter((m) => textOf(m).includes(changeId));
}

async function waitForNotified(changeId: string) {
  await vi.waitFor(
    async () => {
      const change = await h.bot.store.getChange(changeId);
      if (change?.notification?.status !== 'posted') throw new Error('not notified yet');
    },
    { timeout: 15_000, interval: 20 },
  );
  return (await h.bot.store.getChange(changeId))!;
}
