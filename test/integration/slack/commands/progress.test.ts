import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { startFakeSlack } from '../../../fakes/fake-slack/index.js';
import type { TestBot } from '../../harness.js';
import {
  changeIdOf,
  expectAllAccepted,
  memberIds,
  startCommandTestBot,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;

beforeAll(async () => {
  // One Kantata request at a time, each slow: a 500-person add takes a few seconds, batch after batch.
  h = await startCommandTestBot({ env: { KANTATA_CONCURRENCY: '1' } });
});

afterAll(async () => {
  await h?.stop();
});

it('shows Applying…, a few progress updates and the result, within the five uses of a response_url', async () => {
  const admin = h.addPerson({ name: 'Ada Admin', admin: true });
  const group = h.kantata.addGroup('Slow');
  const people = h.kantata.addUsers(500, 'slow');
  const reply = await h.command(admin.slackId, `add Slow ${people.map((p) => p.email).join(' ')}`);
  const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));

  h.kantata.setLatency(250);
  await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId, ['applied']);
  await vi.waitFor(() =>
    expect(textOf(h.responsesTo(reply.responseUrl).at(-1)?.body)).toContain('Added 500 people to Slow'),
  );
  h.kantata.setLatency(0);

  const bodies = h.responsesTo(reply.responseUrl).map((r) => r.body);
  expect(bodies.length).toBeLessThanOrEqual(5);
  expect(textOf(bodies[1])).toContain('Applying');
  const progress = bodies.slice(2, -1);
  expect(progress.length).toBeLessThanOrEqual(2);
  for (const update of progress) expect(textOf(update)).toMatch(/Adding [0-9,]+ of 500 .*[▓░]{10}/);
  expect(bodies.slice(1).every((b) => b.replace_original === true)).toBe(true);
  expect(memberIds(h, group.id)).toHaveLength(500);
  expectAllAccepted(h);
});

it('keeps the result when the first directory load made the command say "Looking up…" first', async () => {
  const slack = await startFakeSlack();
  // The bot's first listing of the workspace waits out a rate limit, so the add is answered "Looking up…"
  // before its preview: one more use of the response_url before Apply, Applying… and progress.
  slack.failNext('users.list', 'ratelimited', 1, 2);
  const cold = await startCommandTestBot({ slack, env: { KANTATA_CONCURRENCY: '1' } });
  try {
    const people = slack.addUsers(500, { prefix: 'cold', domain: 'corp.test', start: 1 });
    cold.kantata.addUsers(500, 'cold', 'corp.test');
    const admin = slack.addUser({ name: 'ada', realName: 'Ada', email: 'ada@corp.test' });
    cold.kantata.addUser({ email: 'ada@corp.test', name: 'Ada', admin: true });
    const group = cold.kantata.addGroup('Cold');
    const mentions = people.map((p) => `<@${p.id}>`).join(' ');
    const reply = await cold.command(admin.id, `add Cold ${mentions}`, { expectResponses: 2 });
    const [lookingUp, preview] = reply.responses().map((r) => r.body);
    expect(textOf(lookingUp)).toContain('Looking up 500 people in Slack');
    const changeId = changeIdOf(preview);

    cold.kantata.setLatency(250);
    await cold.click(admin.id, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(cold, changeId, ['applied']);
    await vi.waitFor(() =>
      expect(textOf(cold.responsesTo(reply.responseUrl).at(-1)?.body)).toContain('Added 500 people to Cold'),
    );
    cold.kantata.setLatency(0);

    const bodies = cold.responsesTo(reply.responseUrl).map((r) => r.body);
    expect(bodies.length).toBeLessThanOrEqual(5);
    expect(textOf(bodies[2])).toContain('Applying');
    // Looking up…, the preview, Applying… and the result leave one post for progress.
    expect(bodies.slice(3, -1).length).toBeLessThanOrEqual(1);
    expect(memberIds(cold, group.id)).toHaveLength(500);
    expectAllAccepted(cold);
  } finally {
    await cold.stop();
  }
});

it('delivers the result apart when Slack refuses the response_url all the same (its uses spent elsewhere)', async () => {
  const admin = h.addPerson({ name: 'Ada Spent', admin: true });
  h.kantata.addGroup('Spent');
  const people = h.kantata.addUsers(3, 'spent');
  const reply = await h.command(admin.slackId, `add Spent ${people.map((p) => p.email).join(' ')}`);
  const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
  // Three posts this replica never saw (another replica's, say): with the preview, four of five are gone.
  await spendResponseUrl(reply.responseUrl, 3);

  await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId, ['applied']);
  const apart = () => answersApart(admin.slackId);
  await vi.waitFor(() => expect(apart().map(textOf).join('\n')).toContain('Added 3 people to Spent'));
  expect(h.responsesTo(reply.responseUrl).at(-1)?.status).toBe(404);
});

it('tells the clicker apart why Apply did nothing when Slack refuses the response_url (its uses spent)', async () => {
  const admin = h.addPerson({ name: 'Ada Refused', admin: true });
  const member = h.addPerson({ name: 'Max Member' });
  h.kantata.addGroup('Refused');
  const people = h.kantata.addUsers(2, 'refused');
  const reply = await h.command(admin.slackId, `add Refused ${people.map((p) => p.email).join(' ')}`);
  const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
  // The preview took one of the five posts; another replica's answers took the rest.
  await spendResponseUrl(reply.responseUrl, 4);

  // Someone who may not apply clicks the admin's Apply: refused, and told so although the url is spent.
  await h.click(member.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  const apart = () => answersApart(member.slackId);
  await vi.waitFor(() => expect(apart()).toHaveLength(1));
  expect(textOf(apart()[0]!)).toContain('Only the person who made this preview');
  expect(h.responsesTo(reply.responseUrl).at(-1)?.status).toBe(404);
  expect((await h.bot.slack.context.changes.getChange(changeId)).status).toBe('previewed');
});

/** Posts to a response_url that this bot never saw (another replica's answers, say), each accepted. */
async function spendResponseUrl(url: string, posts: number): Promise<void> {
  for (let i = 0; i < posts; i++) {
    const spent = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'answered elsewhere', replace_original: false }),
    });
    expect(spent.status).toBe(200);
  }
}

/** What reached this person other than through a response_url: ephemerals and DMs. */
function answersApart(slackUserId: string) {
  return [
    ...h.slack.messages.ephemerals.filter((e) => e.user === slackUserId),
    ...h.slack.messages.dmsTo(slackUserId),
  ];
}
