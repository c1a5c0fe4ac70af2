/**
 * The bot and its Slack directory across restarts (the real bot, in process, on a file store): the preview
 * right after a restart uses the saved directory; on the very first start a small change is looked up
 * person by person and a big one is answered at once, then previewed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import type { FakeKantata } from '../../../fakes/fake-kantata/index.js';
import { type FakeSlack, findElement, startFakeSlack } from '../../../fakes/fake-slack/index.js';
import { createFastPacerClock } from '../../../fakes/fast-pacer-clock.js';
import { startTestBot, type TestBot } from '../../harness.js';

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots.reverse()) await b.stop();
  bots = [];
});

/** 5,000 people in Slack, the first `inKantata` of them also in Kantata with the same email; one admin. */
function seed(slack: FakeSlack, kantata: FakeKantata, inKantata: number) {
  const people = slack.addUsers(5000, { prefix: 'w', domain: 'corp.test', start: 1 });
  kantata.addUsers(inKantata, 'w', 'corp.test');
  const admin = slack.addUser({ name: 'ada', realName: 'Ada', email: 'ada@corp.test' });
  kantata.addUser({ email: 'ada@corp.test', name: 'Ada', admin: true });
  return { people, admin };
}

const previewOf = (body: { blocks?: unknown[] }) => findElement(body.blocks ?? [], ACTION.changeApply);

describe('the directory across a restart', () => {
  it('previews a 1,000-mention add right after a restart without any users.list call', async () => {
    const slack = await startFakeSlack();
    const first = await startTestBot({ slack, bot: { pacerClock: createFastPacerClock() } });
    bots.push(first);
    const { people, admin } = seed(slack, first.kantata, 1000);
    first.kantata.addGroup('Everyone');
    await first.bot.slack.context.directory.refresh();
    await first.stopBot();

    slack.reset();
    const second = await startTestBot({ slack, kantata: first.kantata, storeFile: first.storeFile });
    bots.push(second);
    const mentions = people
      .slice(0, 1000)
      .map((p) => `<@${p.id}>`)
      .join(' ');
    const reply = await second.command(admin.id, `add Everyone ${mentions}`);
    const preview = reply.responses()[0]?.body;
    expect(previewOf(preview)).toBeDefined();
    expect(JSON.stringify(preview)).toContain('1,000');
    expect(slack.callsTo('users.list')).toHaveLength(0);
    expect(slack.callsTo('users.info').length).toBeLessThanOrEqual(1); // the caller, checked fresh
    await slack.close();
  });
});

describe('the first start ever', () => {
  it('previews a 3-person add with users.info, without waiting for the directory', async () => {
    const slack = await startFakeSlack();
    // The listing cannot finish (Slack keeps failing it): the preview must not depend on it.
    slack.failNext('users.list', 'internal_error', 1000);
    const h = await startTestBot({ slack, bot: { pacerClock: createFastPacerClock() } });
    bots.push(h);
    const { people, admin } = seed(slack, h.kantata, 10);
    h.kantata.addGroup('Trio');
    const trio = people.slice(0, 3);
    const reply = await h.command(admin.id, `add Trio ${trio.map((p) => `<@${p.id}>`).join(' ')}`);
    const preview = reply.responses()[0]?.body;
    expect(previewOf(preview)).toBeDefined();
    expect(JSON.stringify(preview)).toContain(trio[0]!.email!);
    const asked = new Set(slack.callsTo('users.info').map((c) => c.args.user));
    for (const p of trio) expect(asked.has(p.id)).toBe(true);
    expect(h.bot.slack.context.directory.stats().loadedAt).toBeNull();
    await h.stopBot();
    await slack.close();
  });

  it('answers a 1,000-person add at once, then shows its preview', async () => {
    const slack = await startFakeSlack();
    slack.setLatency(20);
    const h = await startTestBot({ slack, bot: { pacerClock: createFastPacerClock() } });
    bots.push(h);
    const { people, admin } = seed(slack, h.kantata, 1000);
    h.kantata.addGroup('Thousand');
    const mentions = people
      .slice(0, 1000)
      .map((p) => `<@${p.id}>`)
      .join(' ');
    const reply = await h.command(admin.id, `add Thousand ${mentions}`, { expectResponses: 2 });
    const [first, second] = reply.responses().map((r) => r.body);
    expect(first.text).toContain('Looking up 1,000 people in Slack, about 1 minute');
    expect(previewOf(first)).toBeUndefined();
    expect(previewOf(second)).toBeDefined();
    expect(slack.callsTo('users.info').length).toBeLessThanOrEqual(2);
    await h.stopBot();
    await slack.close();
  });
});

describe("the caller's Kantata lookup", () => {
  it('goes alongside the reads of the preview, not before them', async () => {
    const slack = await startFakeSlack();
    const h = await startTestBot({ slack, bot: { pacerClock: createFastPacerClock() } });
    bots.push(h);
    const { people, admin } = seed(slack, h.kantata, 10);
    h.kantata.addGroup('Design');
    await h.bot.slack.context.directory.refresh();
    // Each Kantata answer takes 500 ms: asked one after the other, the group would be asked 500 ms after
    // the caller at the earliest.
    h.kantata.setLatency(500);
    h.kantata.resetRequests();
    const reply = await h.command(admin.id, `add Design <@${people[0]!.id}>`);
    expect(previewOf(reply.responses()[0]?.body)).toBeDefined();
    const caller = h.kantata.requests.find((r) => r.path === '/users');
    const group = h.kantata.requests.find((r) => r.path === '/workspace_groups');
    expect(JSON.stringify(caller?.query)).toContain('ada@corp.test');
    expect(group!.at - caller!.at).toBeLessThan(500);
    await h.stopBot();
    await slack.close();
  });

  it('a caller Kantata does not know gets the refusal alone, even while the directory is first loaded', async () => {
    const slack = await startFakeSlack();
    slack.setLatency(20);
    const h = await startTestBot({ slack, bot: { pacerClock: createFastPacerClock() } });
    bots.push(h);
    const { people } = seed(slack, h.kantata, 1000);
    const stranger = slack.addUser({ name: 'sam', realName: 'Sam', email: 'sam@corp.test' });
    h.kantata.addGroup('Thousand');
    const mentions = people
      .slice(0, 1000)
      .map((p) => `<@${p.id}>`)
      .join(' ');
    const reply = await h.command(stranger.id, `add Thousand ${mentions}`);
    await h.bot.slack.context.directory.refresh();
    const texts = reply.responses().map((r) => JSON.stringify(r.body));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('No active Kantata user on this account has the email');
    expect(texts[0]).not.toContain('Looking up');
    await h.stopBot();
    await slack.close();
  });
});
