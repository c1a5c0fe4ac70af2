import { afterEach, describe, expect, it, vi } from 'vitest';
import { isChangeAudit } from '../../../../src/approvals/types.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { endOfDayIn } from '../../../../src/slack/text/time-zone.js';
import type { FakeSlackMessage } from '../../../fakes/fake-slack/index.js';
import { seedEnds } from '../../../fakes/seed-ends.js';
import {
  NOTIFY_CHANNEL,
  type Person,
  startBotWithAdminAndMember,
  startTestBot,
  type TestBot,
} from '../../harness.js';
import { buttonValue, changeIdOf, memberIds, textOf, waitForStatus } from '../commands/support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WAIT = { timeout: 15_000, interval: 20 };

let bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.reverse()) await bot.stop();
  bots = [];
});

async function started(env: Record<string, string> = {}) {
  const first = await startBotWithAdminAndMember({ env });
  bots.push(first.h);
  return first;
}

/** `/groups <text>` by `by`, then Apply on its preview; returns the change id once applied. */
async function addAndApply(
  h: TestBot,
  by: Person,
  text: string,
): Promise<{ changeId: string; preview: string }> {
  const reply = await h.command(by.slackId, text);
  const body = await h.waitForResponse(reply.responseUrl);
  const changeId = changeIdOf(body);
  await h.click(by.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId, ['applied']);
  return { changeId, preview: textOf(body) };
}

const endsOf = (h: TestBot) => h.bot.store.listEnds({});

async function waitFor<T>(what: string, find: () => T | undefined | Promise<T | undefined>): Promise<T> {
  let found: T | undefined;
  await vi.waitFor(async () => {
    found = await find();
    if (found === undefined) throw new Error(`waiting for ${what}`);
  }, WAIT);
  return found!;
}

const endedNotices = (h: TestBot) =>
  h.slack.messages.inChannel(NOTIFY_CHANNEL).filter((m) => textOf(m).includes('Access ended'));

const reminderTo = (h: TestBot, person: Person): FakeSlackMessage | undefined =>
  h.slack.messages.dmsTo(person.slackId).find((m) => buttonValue(m, ACTION.reminderExtend7) !== undefined);

/** `<!date^…>` of this instant, as the bot writes times (each reader sees them in their own zone). */
const slackDateOf = (iso: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^`;

describe('time-bound memberships through Slack', () => {
  it('add --for 7d: preview names the date → Apply → day 6 reminder → Extend 7 days → nothing at day 7 → removed at day 14', async () => {
    const { h, admin, member } = await started();
    const group = h.kantata.addGroup('Design');
    const start = h.clock.now().getTime();
    const { changeId, preview } = await addAndApply(h, admin, `add Design <@${member.slackId}> --for 7d`);
    expect(preview).toContain('Access ends');
    expect(preview).toContain(slackDateOf(new Date(start + 7 * DAY).toISOString()).slice(0, 14));
    expect(memberIds(h, group.id)).toEqual([member.kantataId]);
    const [end] = await endsOf(h);
    expect(end).toMatchObject({ userId: member.kantataId, setBy: changeId });

    h.clock.advance(6 * DAY + HOUR);
    const toAdmin = await waitFor('the requester reminder', () => reminderTo(h, admin));
    const toMember = await waitFor('the member reminder', () => reminderTo(h, member));
    expect(textOf(toMember)).toContain('Your access to');
    for (const id of [ACTION.reminderExtend7, ACTION.reminderExtend30, ACTION.reminderLetEnd]) {
      expect(buttonValue(toAdmin, id)).toBeDefined();
    }
    const responseUrl = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.reminderExtend7, buttonValue(toAdmin, ACTION.reminderExtend7)!, {
      responseUrl,
      channel: toAdmin.channel,
      messageTs: toAdmin.ts,
    });
    await h.waitForResponse(responseUrl);
    await waitFor('the end moved', async () => {
      const [moved] = await endsOf(h);
      return moved?.endsAt === new Date(Date.parse(end!.endsAt) + 7 * DAY).toISOString() ? moved : undefined;
    });

    h.clock.advance(DAY);
    // Several sweeps pass at day 7 and nothing happens.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(memberIds(h, group.id)).toEqual([member.kantataId]);
    expect(endedNotices(h)).toEqual([]);
    // A reminder is sent once per end: the moved end's reminder comes at day 13, not again now.
    expect(
      h.slack.messages.dmsTo(member.slackId).filter((m) => buttonValue(m, ACTION.reminderExtend7)),
    ).toHaveLength(1);

    h.clock.advance(7 * DAY);
    const notice = await waitFor('the access ended notice', () => endedNotices(h)[0]);
    expect(textOf(notice)).toMatch(/Access ended: removed 1 person from \*Design\*, added 14 days ago by <@/);
    expect(buttonValue(notice, ACTION.changeUndo)).toBeUndefined();
    expect(memberIds(h, group.id)).toEqual([]);
    expect(await endsOf(h)).toEqual([]);
  });

  it('--until is the end of that day in the caller’s Slack time zone; /groups expiring lists it', async () => {
    const h = await startTestBot();
    bots.push(h);
    h.kantata.addGroup('Atlas');
    const email = 'kei@example.com';
    h.kantata.addUser({ email, name: 'Kei Admin', admin: true });
    const kei = h.slack.addUser({ name: 'Kei Admin', realName: 'Kei Admin', email, tz: 'Asia/Tokyo' });
    const guest = h.addPerson({ name: 'Pat Partner' });
    const date = new Date(h.clock.now().getTime() + 10 * DAY).toISOString().slice(0, 10);
    const admin: Person = { slackId: kei.id, kantataId: '', email, name: 'Kei Admin' };
    await addAndApply(h, admin, `add Atlas <@${guest.slackId}> --until ${date}`);
    const [end] = await endsOf(h);
    expect(end?.endsAt).toBe(endOfDayIn(date, 'Asia/Tokyo').toISOString());
    expect(end?.endsAt).toBe(`${date}T14:59:00.000Z`);

    const listed = await h.command(kei.id, 'expiring Atlas');
    const body = textOf(await h.waitForResponse(listed.responseUrl));
    expect(body).toContain('Temporary memberships: Atlas (1)');
    expect(body).toContain('Pat Partner');
  });

  it('a bot stopped over the end time removes right after it starts and says how late', async () => {
    const { h, admin, member } = await started();
    const group = h.kantata.addGroup('Night');
    await addAndApply(h, admin, `add Night <@${member.slackId}> --for 2h`);
    await h.stopBot();
    h.clock.advance(5 * HOUR);
    const next = await startTestBot({
      kantata: h.kantata,
      slack: h.slack,
      storeFile: h.storeFile,
      clock: h.clock,
    });
    bots.push(next);
    const notice = await waitFor('the late notice', () => endedNotices(next)[0]);
    expect(textOf(notice)).toMatch(/3 hours late: the bot was not running/);
    expect(memberIds(next, group.id)).toEqual([]);
  });

  it('permanent members stay permanent; remove of a temporary member drops its end', async () => {
    const { h, admin, member } = await started();
    const group = h.kantata.addGroup('Core');
    h.kantata.addMembership(member.kantataId, group.id);
    const { preview } = await addAndApply(h, admin, `add Core <@${member.slackId}> ${admin.email} --for 1d`);
    expect(preview).toContain('Stay permanent');
    expect((await endsOf(h)).map((e) => e.userId)).toEqual([admin.kantataId]);
    const removal = await h.command(admin.slackId, `remove Core ${admin.email}`);
    const body = await h.waitForResponse(removal.responseUrl);
    expect(textOf(body)).toContain('their end is dropped');
    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(body), { responseUrl: removal.responseUrl });
    await waitForStatus(h, changeIdOf(body), ['applied']);
    expect(await endsOf(h)).toEqual([]);
    h.clock.advance(2 * DAY);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(memberIds(h, group.id)).toEqual([member.kantataId]);
  });

  it('says what is wrong with a past --until date, in the caller’s zone', async () => {
    const { h, admin } = await started();
    h.kantata.addGroup('Past');
    const yesterday = new Date(h.clock.now().getTime() - 2 * DAY).toISOString().slice(0, 10);
    const reply = await h.command(admin.slackId, `add Past ${admin.email} --until ${yesterday}`);
    expect(textOf(await h.waitForResponse(reply.responseUrl))).toContain('already over in your time zone');
  });

  it('1,000 memberships due at once: one change, DELETEs within KANTATA_CONCURRENCY, one notice', async () => {
    const { h, admin } = await started({ KANTATA_CONCURRENCY: '4' });
    const group = h.kantata.addGroup('Crowd');
    const users = h.kantata.addUsers(1000, 'crowd');
    for (const user of users) h.kantata.addMembership(user.id, group.id);
    await seedEnds(h.bot.store, {
      changeId: 'crowd-add',
      group,
      users,
      endsAt: new Date(h.clock.now().getTime() + HOUR),
      addedAt: h.clock.now(),
      addedBy: { slackUserId: admin.slackId, kantataUserId: admin.kantataId, name: admin.name },
    });
    h.kantata.setLatency(2);
    h.kantata.resetRequests();
    h.clock.advance(HOUR);
    const notice = await waitFor('the access ended notice', () => endedNotices(h)[0]);
    expect(textOf(notice)).toContain('removed 1,000 people from *Crowd*');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deletes = h.kantata.requests.filter((r) => r.method === 'DELETE');
    expect(deletes).toHaveLength(1000);
    expect(h.kantata.maxInFlight).toBeLessThanOrEqual(4);
    expect(endedNotices(h)).toHaveLength(1);
    expect(memberIds(h, group.id)).toEqual([]);
    const removals = await h.bot.store.listAudit({ groupId: group.id });
    expect(removals.filter((e) => isChangeAudit(e) && e.action === 'remove')).toHaveLength(1);
  });

  it('Kantata failing during a due removal: retried at the next sweep, never lost, reported once repeated', async () => {
    const { h, admin, member } = await started();
    const group = h.kantata.addGroup('Flaky');
    await addAndApply(h, admin, `add Flaky <@${member.slackId}> --for 1h`);
    h.kantata.misbehave({
      method: 'GET',
      path: '/user_group_memberships',
      times: 1_000_000,
      action: { status: 503 },
    });
    h.clock.advance(HOUR);
    const report = await waitFor('the failure notice', () =>
      h.slack.messages.inChannel(NOTIFY_CHANNEL).find((m) => textOf(m).includes('Could not be removed')),
    );
    expect(textOf(report)).toContain('tried 3 times');
    const [end] = await endsOf(h);
    expect(end?.failures).toBeGreaterThanOrEqual(3);
    expect(memberIds(h, group.id)).toEqual([member.kantataId]);
    h.kantata.clearMisbehaviour();
    const ended = await waitFor('the removal', () =>
      endedNotices(h).find((m) => textOf(m).includes('removed 1 person')),
    );
    expect(ended).toBeDefined();
    expect(memberIds(h, group.id)).toEqual([]);
    expect(await endsOf(h)).toEqual([]);
  });
});
