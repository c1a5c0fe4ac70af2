import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { type FakeSlack, startFakeSlack } from '../../../fakes/fake-slack/index.js';
import type { Person, TestBot } from '../../harness.js';
import {
  changeIdOf,
  expectAllAccepted,
  memberIds,
  startCommandTestBot,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;
let slack: FakeSlack;
let admin: Person;

beforeAll(async () => {
  // Slack's own rate tiers: conversations.members is Tier 4.
  slack = await startFakeSlack({ rateLimits: true });
  h = await startCommandTestBot({ slack });
  admin = h.addPerson({ name: 'Ada Admin', admin: true });
});

afterAll(async () => {
  await h?.stop();
  await slack?.close();
});

describe('a channel mention names the channel’s members (conversations.members)', () => {
  it('adds the 450 people of a channel, and lists its bots and guest as not included, with why', async () => {
    const group = h.kantata.addGroup('Apollo');
    h.kantata.addUsers(450, 'apollo');
    const people = slack.addUsers(450, { prefix: 'apollo', start: 1 });
    const bots = [
      slack.addUser({ name: 'deploybot', realName: 'Deploy Bot', isBot: true }),
      slack.addUser({ name: 'standup', realName: 'Standup Bot', isBot: true }),
    ];
    const guest = slack.addUser({
      name: 'gina',
      realName: 'Gina Guest',
      email: 'gina@partner.example',
      isRestricted: true,
    });
    const channel = slack.addChannel({
      name: 'proj-apollo',
      memberIds: [
        ...people.slice(0, 200).map((u) => u.id),
        ...bots.map((b) => b.id),
        guest.id,
        ...people.slice(200).map((u) => u.id),
      ],
    });
    await h.bot.slack.context.directory.refresh();
    slack.reset();

    const reply = await h.command(admin.slackId, `add Apollo <#${channel.id}|proj-apollo>`);
    const preview = await h.waitForResponse(reply.responseUrl);
    const text = textOf(preview);
    expect(text).toContain('*Will be added* to *Apollo* (450)');
    expect(text).toContain('Bots are not people in Kantata (2)');
    expect(text).toContain('Deploy Bot');
    expect(text).toContain('Slack guests cannot be added (1)');
    expect(text).toContain('Gina Guest');
    // 453 members in pages of 200: three calls, none of them refused by the tier.
    expect(slack.callsTo('conversations.members')).toHaveLength(3);
    expect(slack.rateLimitedCounts()['conversations.members'] ?? 0).toBe(0);

    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
    const done = await waitForStatus(h, changeIdOf(preview), ['applied']);
    expect(memberIds(h, group.id)).toHaveLength(450);
    expect(done.report?.unresolved.map((u) => u.reason).sort()).toEqual(['bot', 'bot', 'guest']);
    expectAllAccepted(h);
  });

  it('tells the person to invite the bot to a private channel it is not in', async () => {
    h.kantata.addGroup('Secret');
    const ann = h.addPerson({ name: 'Ann Hidden' });
    const hidden = slack.addChannel({ name: 'secret-project', isPrivate: true, memberIds: [ann.slackId] });
    const reply = await h.command(admin.slackId, `add Secret <#${hidden.id}|secret-project>`);
    const text = textOf(await h.waitForResponse(reply.responseUrl));
    expect(text).toContain('#secret-project');
    expect(text).toContain('invite me');
    expect(text).toContain('/invite @Kantata Groups');
    expect(text).not.toContain(ACTION.changeApply);

    // Once invited, the same command works.
    hidden.memberIds.push(slack.botUserId);
    const again = await h.command(admin.slackId, `add Secret <#${hidden.id}|secret-project>`);
    const preview = textOf(await h.waitForResponse(again.responseUrl));
    expect(preview).toContain('*Will be added* to *Secret* (1)');
    expect(preview).toContain('Ann Hidden');
    expect(preview).toContain('Bots are not people in Kantata (1)');
  });
});
