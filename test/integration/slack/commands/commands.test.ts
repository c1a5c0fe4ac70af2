import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CSV_COLUMNS } from '../../../../src/cli/audit-rows.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { parseCsv } from '../../../unit/cli/rfc4180.js';
import { type Person, startBotWithAdminAndMember, type TestBot } from '../../harness.js';
import { exportAudit } from '../audit-export.js';
import { buttonValue, expectAllAccepted, textOf } from './support.js';

let h: TestBot;
let admin: Person;
let member: Person;

beforeAll(async () => {
  ({ h, admin, member } = await startBotWithAdminAndMember());
});

afterAll(async () => {
  await h?.stop();
});

describe('/groups help and mistakes', () => {
  it('answers help with usage and examples', async () => {
    const reply = await h.command(member.slackId, 'help');
    const body = await h.waitForResponse(reply.responseUrl);
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toContain('/groups add');
    expect(textOf(body)).toContain('Examples');
  });

  it('says what was wrong and shows the right form', async () => {
    const reply = await h.command(member.slackId, 'ad Design ann@example.com');
    const text = textOf(await h.waitForResponse(reply.responseUrl));
    expect(text).toContain('Did you mean `add`?');
    expect(text).toContain('Usage');
  });

  it('suggests close names for an unknown group', async () => {
    h.kantata.addGroup('Marketing');
    const reply = await h.command(member.slackId, 'members Marketting');
    const text = textOf(await h.waitForResponse(reply.responseUrl));
    expect(text).toContain('There is no Kantata group called');
    expect(text).toContain('Marketing');
  });
});

describe('/groups list', () => {
  it('lists groups, filtered by search words', async () => {
    h.kantata.addGroup('Design Team');
    h.kantata.addGroup('Design Ops');
    h.kantata.addGroup('Finance');
    h.clock.advance(61_000); // the group list is cached for about a minute (SPEC §5)
    const all = textOf(await h.waitForResponse((await h.command(member.slackId, 'list')).responseUrl));
    expect(all).toContain('Design Team');
    expect(all).toContain('Finance');
    const some = textOf(
      await h.waitForResponse((await h.command(member.slackId, 'list design')).responseUrl),
    );
    expect(some).toContain('Design Ops');
    expect(some).not.toContain('Finance');
  });

  it('refuses guests', async () => {
    const guest = h.addPerson({ name: 'Gus Guest', guest: true });
    const text = textOf(await h.waitForResponse((await h.command(guest.slackId, 'list')).responseUrl));
    expect(text).toContain('Guests cannot use');
  });
});

describe('/groups members', () => {
  it('pages through members 20 at a time with Next and Previous, replacing the message', async () => {
    const group = h.kantata.addGroup('Big Group');
    const people = h.kantata.addUsers(45, 'big');
    h.kantata.addMembers(
      group.id,
      people.map((p) => p.id),
    );
    const reply = await h.command(member.slackId, 'members "Big Group"');
    const first = await h.waitForResponse(reply.responseUrl);
    expect(textOf(first)).toContain('45 members');
    expect(textOf(first)).toContain('Page 1 of 3');
    const next = buttonValue(first, ACTION.membersPage);
    expect(next).toBe(`${group.id}:2`);
    expect(buttonValue(first, ACTION.membersPagePrevious)).toBeUndefined();

    await h.click(member.slackId, ACTION.membersPage, next!, { responseUrl: reply.responseUrl });
    const second = await h.waitForResponse(reply.responseUrl, 2);
    expect(second.replace_original).toBe(true);
    expect(textOf(second)).toContain('Page 2 of 3');
    expect(textOf(second)).toContain('21.');

    const previous = buttonValue(second, ACTION.membersPagePrevious);
    expect(previous).toBe(`${group.id}:1`);
    await h.click(member.slackId, ACTION.membersPagePrevious, previous!, { responseUrl: reply.responseUrl });
    expect(textOf(await h.waitForResponse(reply.responseUrl, 3))).toContain('Page 1 of 3');
    expectAllAccepted(h);
  });
});

describe('/groups whoami, link and unlink', () => {
  it('tells a linked person who they are in Kantata and whether they are an administrator', async () => {
    const adminText = textOf(await h.waitForResponse((await h.command(admin.slackId, 'whoami')).responseUrl));
    expect(adminText).toContain('Ada Admin');
    expect(adminText).toContain(admin.email);
    expect(adminText).toContain(`id:${admin.kantataId}`);
    expect(adminText).toContain('account administrator');
    expect(adminText).toContain('the email address on your Slack profile');
    const memberText = textOf(
      await h.waitForResponse((await h.command(member.slackId, 'whoami')).responseUrl),
    );
    expect(memberText).toContain('*not* a Kantata account administrator');
  });

  it('explains why someone is not linked and what to do', async () => {
    const stranger = h.slack.addUser({ name: 'stranger', email: 'stranger@elsewhere.com' });
    const text = textOf(await h.waitForResponse((await h.command(stranger.id, 'whoami')).responseUrl));
    expect(text).toContain('not linked');
    expect(text).toContain('No active Kantata user');
    expect(text).toContain('/groups link');
  });

  it('lets an administrator link and unlink, and refuses everyone else', async () => {
    const slackOnly = h.slack.addUser({ name: 'nick', email: 'nick@personal.example' });
    const kantataNick = h.kantata.addUser({ email: 'nicholas@example.com', name: 'Nicholas' });

    const refused = await h.command(member.slackId, `link <@${slackOnly.id}> nicholas@example.com`);
    expect(textOf(await h.waitForResponse(refused.responseUrl))).toContain(
      'Only Kantata account administrators',
    );

    const linked = await h.command(admin.slackId, `link <@${slackOnly.id}> id:${kantataNick.id}`);
    expect(textOf(await h.waitForResponse(linked.responseUrl))).toContain('Linked');
    const whoami = await h.command(slackOnly.id, 'whoami');
    const text = textOf(await h.waitForResponse(whoami.responseUrl));
    expect(text).toContain('Nicholas');
    expect(text).toContain('an explicit link');

    const unlinked = await h.command(admin.slackId, `unlink <@${slackOnly.id}>`);
    expect(textOf(await h.waitForResponse(unlinked.responseUrl))).toContain('Removed the link');
    const again = await h.command(admin.slackId, `unlink <@${slackOnly.id}>`);
    expect(textOf(await h.waitForResponse(again.responseUrl))).toContain('had no explicit link');

    // Audited: one row for the link, one for the unlink (none for the refusal or the unlink of nothing).
    const rows = (await h.bot.store.listAudit({})).filter(
      (e) => 'slackUserId' in e && e.slackUserId === slackOnly.id,
    );
    expect(rows).toMatchObject([
      {
        event: 'unlinked',
        actor: { slackUserId: admin.slackId, kantataUserId: admin.kantataId },
        kantataUserId: kantataNick.id,
      },
      {
        event: 'linked',
        actor: { slackUserId: admin.slackId, kantataUserId: admin.kantataId, name: 'Ada Admin' },
        kantataUserId: kantataNick.id,
        kantataUserName: 'Nicholas',
        kantataUserEmail: 'nicholas@example.com',
      },
    ]);
    const history = textOf(await h.waitForResponse((await h.command(admin.slackId, 'history')).responseUrl));
    expect(history).toContain(`<@${admin.slackId}> *linked* <@${slackOnly.id}> to Kantata user *Nicholas*`);
    expect(history).toContain(
      `<@${admin.slackId}> *unlinked* <@${slackOnly.id}> (was Kantata user \`id:${kantataNick.id}\`)`,
    );

    const csv = parseCsv(await exportAudit(h, 'csv'));
    const col = (row: string[], name: (typeof AUDIT_CSV_COLUMNS)[number]) =>
      row[AUDIT_CSV_COLUMNS.indexOf(name)];
    const exported = csv.filter((r) => col(r, 'slack_user_id') === slackOnly.id);
    expect(
      exported.map((r) => [
        col(r, 'event'),
        col(r, 'actor_slack_id'),
        col(r, 'user_id'),
        col(r, 'user_email'),
      ]),
    ).toEqual([
      ['linked', admin.slackId, kantataNick.id, 'nicholas@example.com'],
      ['unlinked', admin.slackId, kantataNick.id, ''],
    ]);
    const jsonl = (await exportAudit(h, 'jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(jsonl.filter((e) => e.slackUserId === slackOnly.id).map((e) => e.event)).toEqual([
      'linked',
      'unlinked',
    ]);
  });

  it('says clearly when the Kantata user to link does not exist', async () => {
    const someone = h.slack.addUser({ name: 'sam', email: 'sam@example.com' });
    const reply = await h.command(admin.slackId, `link <@${someone.id}> nobody@example.com`);
    const text = textOf(await h.waitForResponse(reply.responseUrl));
    expect(text).toContain('Nothing was linked');
    expect(text).toContain('nobody@example.com');
  });
});
