import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { MAX_NOTIFY_ATTEMPTS } from '../../../../src/slack/notify/backoff.js';
import {
  APPROVALS_CHANNEL,
  NOTIFY_CHANNEL,
  type Person,
  startBotWithAdminAndMember,
  type TestBot,
} from '../../harness.js';
import { expectAllAccepted, memberIds, membershipPosts } from '../commands/support.js';
import {
  answerTo,
  auditOf,
  buttonValue,
  cardOf,
  cardSaying,
  changeOf,
  clickCard,
  dmsAbout,
  hasButton,
  notificationOf,
  sendRequest,
  textOf,
  waitForDm,
  waitForStatus,
} from './support.js';

let h: TestBot;
let admin: Person;
let member: Person;

beforeAll(async () => {
  ({ h, admin, member } = await startBotWithAdminAndMember());
});

afterAll(async () => {
  await h?.stop();
});

describe('Slack failing around an approval', () => {
  it('applies once; the notification is retried later; a later click redraws the stale card', async () => {
    const group = h.kantata.addGroup('Flaky');
    const changeId = await sendRequest(h, member, `add Flaky ${admin.email}`);
    const before = membershipPosts(h);
    // Both card redraws, the thread reply, the DM and the notification all fail.
    h.slack.failNext('chat.update', 'internal_error', 2);
    h.slack.failNext('chat.postMessage', 'not_in_channel', 3);
    const { responseUrl } = await clickCard(h, admin, ACTION.requestApprove, changeId);
    await waitForStatus(h, changeId, ['applied']);
    expect(await answerTo(h, responseUrl)).toContain('Approved and applied');
    await vi.waitFor(async () => expect((await changeOf(h, changeId)).notification?.attempts).toBe(1));
    expect(membershipPosts(h) - before).toBe(1);
    expect(memberIds(h, group.id)).toEqual([admin.kantataId]);
    expect(hasButton(await cardOf(h, changeId), ACTION.requestApprove)).toBe(true);

    h.clock.advance(31_000);
    await notificationOf(h, changeId);
    const again = await clickCard(h, admin, ACTION.requestApprove, changeId);
    expect(await answerTo(h, again.responseUrl)).toContain('already applied');
    const card = await cardSaying(h, changeId, 'Added 1 person to Flaky');
    expect(hasButton(card, ACTION.requestApprove)).toBe(false);
    expect(membershipPosts(h) - before).toBe(1);
  });

  it('Slack down during an approval: once it is back, card, thread, DM and notice each arrive, once', async () => {
    const group = h.kantata.addGroup('Outage');
    const changeId = await sendRequest(h, member, `add Outage ${admin.email}`);
    const card = await cardOf(h, changeId);
    // Slack is down: every redraw and every post fails while the approval is applied.
    h.slack.failNext('chat.update', 'service_unavailable', 100);
    h.slack.failNext('chat.postMessage', 'service_unavailable', 100);
    try {
      const { responseUrl } = await clickCard(h, admin, ACTION.requestApprove, changeId);
      await waitForStatus(h, changeId, ['applied']);
      expect(await answerTo(h, responseUrl)).toContain('Approved and applied');
      await vi.waitFor(async () => {
        const owed = await changeOf(h, changeId);
        expect(owed.outbox?.['decided:requester']?.attempts).toBe(1);
        expect(owed.outbox?.['decided:approvers']?.attempts).toBe(1);
        expect(owed.notification?.attempts).toBe(1);
      });
      expect(dmsAbout(h, member, changeId)).toHaveLength(0);
    } finally {
      // Slack is back (also for the tests that follow, should this one fail).
      h.slack.reset();
    }

    // The relay delivers everything still owed once its back-off has passed.
    h.clock.advance(31_000);
    await notificationOf(h, changeId);
    await cardSaying(h, changeId, 'Added 1 person to Outage');
    await waitForDm(h, member, changeId, 'approved');
    await vi.waitFor(() => expect(h.slack.messages.replies(APPROVALS_CHANNEL, card.ts)).toHaveLength(1));

    // More relay rounds, much later: nothing is posted twice.
    h.clock.advance(2 * 60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(dmsAbout(h, member, changeId)).toHaveLength(1);
    expect(h.slack.messages.replies(APPROVALS_CHANNEL, card.ts)).toHaveLength(1);
    expect(
      h.slack.messages.inChannel(NOTIFY_CHANNEL).filter((m) => JSON.stringify(m.blocks).includes(changeId)),
    ).toHaveLength(1);
    const delivered = await changeOf(h, changeId);
    expect(delivered.outbox).toMatchObject({
      'decided:approvers': { status: 'posted' },
      'decided:requester': { status: 'posted' },
    });
    expect(delivered.notification?.status).toBe('posted');
    expect(memberIds(h, group.id)).toEqual([admin.kantataId]);
  });

  it('Slack refusing for a day: each delivery is given up once, with an audit row, and never tried again', async () => {
    h.kantata.addGroup('GivenUp');
    const changeId = await sendRequest(h, member, `add GivenUp ${admin.email}`);
    h.slack.failNext('chat.update', 'channel_not_found', 1000);
    h.slack.failNext('chat.postMessage', 'channel_not_found', 1000);
    try {
      await clickCard(h, admin, ACTION.requestApprove, changeId);
      await waitForStatus(h, changeId, ['applied']);
      await vi.waitFor(async () => expect((await changeOf(h, changeId)).notification?.attempts).toBe(1));
      // A day of failed attempts later: the last one is due.
      const lastTry = { status: 'pending' as const, attempts: MAX_NOTIFY_ATTEMPTS - 1 };
      await h.bot.store.updateChange(changeId, { notification: lastTry });
      await h.bot.store.recordDeliveries(changeId, {
        'decided:approvers': lastTry,
        'decided:requester': lastTry,
      });
      h.clock.advance(31_000);
      await vi.waitFor(async () => {
        const given = await changeOf(h, changeId);
        expect(given.notification?.status).toBe('failed');
        expect(given.outbox?.['decided:approvers']?.status).toBe('failed');
        expect(given.outbox?.['decided:requester']?.status).toBe('failed');
      });
      const rows = (await auditOf(h, changeId)).filter((e) => e.event === 'delivery_given_up');
      expect(rows.map((e) => e.delivery?.delivery).sort()).toEqual([
        'decided:approvers',
        'decided:requester',
        'notification',
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({
          actor: { name: 'Announcer' },
          groupName: 'GivenUp',
          delivery: { attempts: MAX_NOTIFY_ATTEMPTS, lastError: 'channel_not_found' },
        });
      }
      const history = textOf(
        await h.waitForResponse((await h.command(admin.slackId, 'history GivenUp')).responseUrl),
      );
      expect(history).toContain(
        '*gave up* posting the channel notice of a change to *GivenUp* after 30 attempts',
      );

      // Given up is final: much later, no more attempts and no more rows.
      h.clock.advance(3 * 60 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const after = await changeOf(h, changeId);
      expect(after.notification?.attempts).toBe(MAX_NOTIFY_ATTEMPTS);
      expect(after.outbox?.['decided:requester']?.attempts).toBe(MAX_NOTIFY_ATTEMPTS);
      expect((await auditOf(h, changeId)).filter((e) => e.event === 'delivery_given_up')).toHaveLength(3);
    } finally {
      h.slack.reset();
    }
  });

  it('a card that could not be posted with the request is posted later by the background job', async () => {
    h.kantata.addGroup('LateCard');
    const reply = await h.command(member.slackId, `add LateCard ${admin.email}`);
    const changeId = buttonValue(await h.waitForResponse(reply.responseUrl), ACTION.changeRequest)!;
    h.slack.failNext('chat.postMessage', 'not_in_channel', 1);
    await h.click(member.slackId, ACTION.changeRequest, changeId, { responseUrl: reply.responseUrl });
    expect(textOf(await h.waitForResponse(reply.responseUrl, 2))).toContain('could not post it');
    expect((await changeOf(h, changeId)).status).toBe('pending');
    expect((await changeOf(h, changeId)).locations?.approvalTs).toBeUndefined();

    h.clock.advance(61_000);
    const card = await cardOf(h, changeId);
    expect(hasButton(card, ACTION.requestApprove)).toBe(true);
  });
});

describe('Kantata failing at the approval', () => {
  it('ends the request as failed, changes nothing, and tells the approver, the card and the requester', async () => {
    const group = h.kantata.addGroup('Down');
    const changeId = await sendRequest(h, member, `add Down ${admin.email}`);
    h.kantata.misbehave({
      method: 'GET',
      path: '/user_group_memberships',
      times: 50,
      action: { status: 500 },
    });
    try {
      const { responseUrl } = await clickCard(h, admin, ACTION.requestApprove, changeId);
      await waitForStatus(h, changeId, ['failed']);
      expect(await answerTo(h, responseUrl)).toContain('Kantata');
    } finally {
      h.kantata.clearMisbehaviour();
    }
    const card = await cardSaying(h, changeId, 'Could not add anyone to Down');
    expect(textOf(card)).toContain('APPROVED');
    expect(hasButton(card, ACTION.requestApprove)).toBe(false);
    await waitForDm(h, member, changeId, 'Could not add anyone');
    expect(memberIds(h, group.id)).toEqual([]);
  });
});

describe('a large request', () => {
  it('fits every message within Block Kit limits and lists every name in the thread', async () => {
    const group = h.kantata.addGroup('Crowd');
    const people = Array.from({ length: 150 }, (_, i) => h.addPerson({ name: `Crowd Person ${i}` }));
    const changeId = await sendRequest(h, member, `add Crowd ${people.map((p) => p.email).join(' ')}`);
    const card = await cardOf(h, changeId);
    expect(textOf(card)).toContain('…and');
    await clickCard(h, admin, ACTION.requestApprove, changeId);
    await waitForStatus(h, changeId, ['applied']);
    await cardSaying(h, changeId, 'Added 150 people to Crowd');
    expect(memberIds(h, group.id)).toHaveLength(150);
    await vi.waitFor(() => {
      const thread = h.slack.messages.replies(APPROVALS_CHANNEL, card.ts).map(textOf).join('\n');
      for (const p of [people[0]!, people[77]!, people[149]!]) expect(thread).toContain(p.email);
    });
    await waitForDm(h, member, changeId, 'approved');
    expectAllAccepted(h);
  });
});
