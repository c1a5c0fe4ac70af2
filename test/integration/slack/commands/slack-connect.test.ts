import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { sendSlashCommand } from '../../../fakes/fake-slack/index.js';
import { type Person, startBotWithAdminAndMember, type TestBot } from '../../harness.js';
import { changeIdOf, memberIds, membershipPosts, textOf } from './support.js';

// Issue 15 item 5: a user of another organization (Slack Connect) never acts, even when their email is an
// administrator's: another organization controls its users' emails.
let h: TestBot;
let admin: Person;

beforeAll(async () => {
  ({ h, admin } = await startBotWithAdminAndMember());
});

afterAll(async () => {
  await h?.stop();
});

const FOREIGN_TEAM = 'T0ELSEWHERE';

describe('a Slack Connect user whose email equals an administrator’s', () => {
  it('is refused on a command before any identity lookup, and nothing changes', async () => {
    const group = h.kantata.addGroup('Connect Design');
    const bob = h.addPerson({ name: 'Bob Connect' });
    const stranger = h.slack.addUser({
      name: 'Ada Elsewhere',
      realName: 'Ada Elsewhere',
      email: admin.email,
    });
    const infoBefore = h.slack.callsTo('users.info').length;
    const answer = await sendSlashCommand(h.endpoint, h.config.slack.signingSecret ?? '', {
      text: `add "Connect Design" ${bob.email}`,
      user_id: stranger.id,
      team_id: FOREIGN_TEAM,
      response_url: h.slack.responseUrl(),
      trigger_id: h.slack.newTriggerId(),
    });
    expect(answer.status).toBe(200);
    expect(textOf(answer.json)).toContain('another organization');
    expect(h.slack.callsTo('users.info').length).toBe(infoBefore);
    expect(await h.bot.store.listChanges({ statuses: ['previewed'], requestedBy: stranger.id })).toEqual([]);
    expect(memberIds(h, group.id)).toEqual([]);
  });

  it('is refused on a click of an administrator’s Apply, and nothing changes', async () => {
    const group = h.kantata.addGroup('Connect Ops');
    const bob = h.addPerson({ name: 'Bob Ops' });
    const reply = await h.command(admin.slackId, `add "Connect Ops" ${bob.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    const posts = membershipPosts(h);
    const stranger = h.slack.addUser({ name: 'Ada Away', realName: 'Ada Away', email: admin.email });
    const responseUrl = h.slack.responseUrl();
    await h.click(stranger.id, ACTION.changeApply, changeId, { responseUrl, teamId: FOREIGN_TEAM });
    const refusal = await h.waitForResponse(responseUrl);
    expect(textOf(refusal)).toContain('another organization');
    expect((await h.bot.store.getChange(changeId))?.status).toBe('previewed');
    expect(membershipPosts(h)).toBe(posts);
    expect(memberIds(h, group.id)).toEqual([]);
  });
});
