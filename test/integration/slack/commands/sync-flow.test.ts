import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isChangeAudit } from '../../../../src/approvals/types.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { NOTIFY_CHANNEL, type Person, startBotWithTwoAdminsAndMember, type TestBot } from '../../harness.js';
import {
  buttonValue,
  changeIdOf,
  expectAllAccepted,
  memberIds,
  notificationOf,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;
let admin: Person;
let member: Person;
let otherAdmin: Person;

beforeAll(async () => {
  ({ h, admin, otherAdmin, member } = await startBotWithTwoAdminsAndMember());
});

afterAll(async () => {
  await h?.stop();
});

/** A group with members 0–5 and a Slack user group naming 3–9 (plus a bot): 4 to add, 3 to remove. */
function world(name: string, handle: string) {
  const group = h.kantata.addGroup(name);
  const people = Array.from({ length: 10 }, (_, i) => h.addPerson({ name: `${name} Person ${i}` }));
  for (const p of people.slice(0, 6)) h.kantata.addMembership(p.kantataId, group.id);
  const bot = h.slack.addUser({ name: `${handle}-bot`, realName: `${name} Bot`, isBot: true });
  const usergroupId = `S0${handle.toUpperCase()}`;
  h.slack.addUsergroup(usergroupId, handle, [...people.slice(3).map((p) => p.slackId), bot.id]);
  return { group, people, mention: `<!subteam^${usergroupId}|@${handle}>` };
}

const idsOf = (people: Person[]) => people.map((p) => p.kantataId).sort();

describe('/groups sync <group> from <source>', () => {
  it('previews and applies both directions as one change, announced once, and Undo restores the group', async () => {
    const { group, people, mention } = world('Orbit', 'orbit');
    const before = memberIds(h, group.id);
    const reply = await h.command(admin.slackId, `sync Orbit from ${mention} --reason Quarterly tidy`);
    const preview = await h.waitForResponse(reply.responseUrl);
    const text = textOf(preview);
    expect(text).toContain('Preview: sync Orbit from @orbit');
    expect(text).toContain('*Will be added (4):*');
    expect(text).toContain('*Will be removed (3):*');
    expect(text).toContain('*Unchanged (3):*');
    expect(text).toContain('Bots are not people in Kantata (1)');
    expect(memberIds(h, group.id)).toEqual(before);

    const changeId = changeIdOf(preview);
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    const done = await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toEqual(idsOf(people.slice(3)));
    const posts = h.kantata.requests.filter(
      (r) => r.method === 'POST' && r.path === '/user_group_memberships',
    );
    expect(posts.length).toBeGreaterThanOrEqual(1);
    await vi.waitFor(() =>
      expect(textOf(h.responsesTo(reply.responseUrl).at(-1)?.body)).toContain(
        'Synced Orbit: added 4 people, removed 3 people',
      ),
    );

    const notes = await notificationOf(h, changeId);
    expect(notes).toHaveLength(1);
    const note = textOf(notes[0]);
    expect(note).toContain('synced *Orbit* from @orbit: added 4 people, removed 3 people');
    expect(note).toContain('Orbit Person 9');
    expect(note).toContain('Orbit Person 0');
    const audit = (await h.bot.store.listAudit({ groupId: group.id }))
      .filter(isChangeAudit)
      .filter((e) => e.changeId === changeId);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.outcomes.map((o) => o.outcome).sort()).toEqual([
      ...Array(4).fill('added'),
      ...Array(3).fill('already_member'),
      ...Array(3).fill('removed'),
    ]);
    expect(done.report?.unresolved).toHaveLength(1);

    const undoUrl = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.changeUndo, changeId, {
      responseUrl: undoUrl,
      channel: NOTIFY_CHANNEL,
      messageTs: notes[0]!.ts,
    });
    const undoPreview = await h.waitForResponse(undoUrl);
    const undoId = buttonValue(undoPreview, ACTION.changeApply);
    expect(undoId).toBeDefined();
    await h.click(admin.slackId, ACTION.changeApply, undoId!, { responseUrl: undoUrl });
    await waitForStatus(h, undoId!, ['applied']);
    expect(memberIds(h, group.id)).toEqual(before);
    expectAllAccepted(h);
  });

  it('--add-only adds and removes nobody', async () => {
    const { group, people, mention } = world('Nova', 'nova');
    const reply = await h.command(admin.slackId, `sync Nova from ${mention} --add-only`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain('*Will be added (4):*');
    expect(textOf(preview)).not.toContain('Will be removed');
    expect(textOf(preview)).toContain('kept because of `--add-only`');
    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeIdOf(preview), ['applied']);
    expect(memberIds(h, group.id)).toEqual(idsOf(people));
  });

  it('is requested by a member and applied when an administrator approves', async () => {
    const { group, people, mention } = world('Comet', 'comet');
    const reply = await h.command(member.slackId, `sync Comet from ${mention} --reason Match the team`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(buttonValue(preview, ACTION.changeApply)).toBeUndefined();
    const changeId = changeIdOf(preview);
    await h.click(member.slackId, ACTION.changeRequest, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['pending']);
    await h.click(otherAdmin.slackId, ACTION.requestApprove, changeId);
    await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toEqual(idsOf(people.slice(3)));
  });

  it('refuses a source it cannot read or that is empty, changing nothing', async () => {
    const group = h.kantata.addGroup('Void');
    const p = h.addPerson({ name: 'Void Member' });
    h.kantata.addMembership(p.kantataId, group.id);
    h.slack.addUsergroup('S0EMPTY', 'empty', []);
    const empty = await h.command(admin.slackId, 'sync Void from <!subteam^S0EMPTY|@empty>');
    expect(textOf(await h.waitForResponse(empty.responseUrl))).toContain('would remove everyone');
    const missing = await h.command(admin.slackId, 'sync Void from <!subteam^S0GONE|@gone>');
    expect(textOf(await h.waitForResponse(missing.responseUrl))).toContain(
      'Slack does not know that user group',
    );
    const hidden = h.slack.addChannel({ name: 'hidden', isPrivate: true, memberIds: [p.slackId] });
    const secret = await h.command(admin.slackId, `sync Void from <#${hidden.id}|hidden>`);
    expect(textOf(await h.waitForResponse(secret.responseUrl))).toContain('invite me');
    expect(memberIds(h, group.id)).toEqual([p.kantataId]);
  });
});
