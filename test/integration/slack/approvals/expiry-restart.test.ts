import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { type Person, startBotWithAdminAndMember, type TestBot } from '../../harness.js';
import { memberIds, startCommandTestBot } from '../commands/support.js';
import {
  answerTo,
  auditOf,
  cardSaying,
  changeOf,
  clickCard,
  hasButton,
  notificationOf,
  sendRequest,
  textOf,
  waitForDm,
  waitForStatus,
} from './support.js';

const HOUR = 3_600_000;
const env = { REQUEST_TTL: '2h' };

/** Bots started by a test, stopped newest first (the first one owns the fakes and the store file). */
let bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.reverse()) await bot.stop();
  bots = [];
});

async function firstBot(): Promise<{ h: TestBot; admin: Person; member: Person }> {
  const first = await startBotWithAdminAndMember({ env });
  bots.push(first.h);
  return first;
}

/** A new app instance on the same store file, fakes and clock: the bot restarted. */
async function restart(h: TestBot): Promise<TestBot> {
  await h.stopBot();
  return startOnSameStore(h);
}

/** A new app instance on the store file, fakes and clock of `h` (already stopped). */
async function startOnSameStore(h: TestBot): Promise<TestBot> {
  const next = await startCommandTestBot({
    env,
    kantata: h.kantata,
    slack: h.slack,
    storeFile: h.storeFile,
    clock: h.clock,
  });
  bots.push(next);
  return next;
}

describe('expiry after REQUEST_TTL', () => {
  it('expires a pending request: the card shows EXPIRED, the requester is told, Approve is refused', async () => {
    const { h, admin, member } = await firstBot();
    const group = h.kantata.addGroup('Expiring');
    const changeId = await sendRequest(h, member, `add Expiring ${admin.email}`);
    h.clock.advance(2 * HOUR + 1);
    await waitForStatus(h, changeId, ['expired']);
    const card = await cardSaying(h, changeId, 'EXPIRED');
    expect(hasButton(card, ACTION.requestApprove)).toBe(false);
    await waitForDm(h, member, changeId, 'expired');

    const { responseUrl } = await clickCard(h, admin, ACTION.requestApprove, changeId);
    expect(await answerTo(h, responseUrl)).toMatch(/expired/);
    expect(memberIds(h, group.id)).toEqual([]);
    expect((await auditOf(h, changeId)).map((e) => e.event)).toEqual(['requested', 'expired']);
  });

  it('a request that expired while the bot was stopped shows EXPIRED once a new bot starts', async () => {
    const { h, admin, member } = await firstBot();
    h.kantata.addGroup('Offline');
    const changeId = await sendRequest(h, member, `add Offline ${admin.email}`);
    await h.stopBot();
    h.clock.advance(3 * HOUR);
    const next = await startOnSameStore(h);
    await waitForStatus(next, changeId, ['expired']);
    expect(textOf(await cardSaying(next, changeId, 'EXPIRED'))).not.toContain(ACTION.requestApprove);
    await waitForDm(next, member, changeId, 'expired');
    expect((await auditOf(next, changeId)).filter((e) => e.event === 'expired')).toHaveLength(1);
  });
});

describe('restarts', () => {
  it('a request made before a restart is approved and applied by the new instance', async () => {
    const { h, admin, member } = await firstBot();
    const group = h.kantata.addGroup('Durable');
    const changeId = await sendRequest(h, member, `add Durable ${admin.email} --reason Survives restarts`);
    const next = await restart(h);
    await clickCard(next, admin, ACTION.requestApprove, changeId);
    await waitForStatus(next, changeId, ['applied']);
    expect(memberIds(next, group.id)).toEqual([admin.kantataId]);
    expect(textOf(await cardSaying(next, changeId, 'Added 1 person to Durable'))).toContain('APPROVED');
    await waitForDm(next, member, changeId, 'approved');
    await notificationOf(next, changeId);
    expect((await changeOf(next, changeId)).reason).toBe('Survives restarts');
  });
});
