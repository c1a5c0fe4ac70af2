import { expect, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import type { FakeSlackMessage } from '../../../fakes/fake-slack/index.js';
import { type Person, startTestBot, type TestBot, type TestBotOptions } from '../../harness.js';
import { hasButton, textOf } from '../approvals/support.js';

const WAIT = { timeout: 15_000, interval: 20 };

/** Ada (administrator), Olive (owner-to-be, not an administrator), Mo (member) and the groups Design, Sales. */
export async function startOwnersBot(options: TestBotOptions = {}) {
  const h = await startTestBot({ ...options, bot: { usergroupTtlMs: 300, ...options.bot } });
  const admin = h.addPerson({ name: 'Ada Admin', admin: true });
  const owner = h.addPerson({ name: 'Olive Owner' });
  const member = h.addPerson({ name: 'Mo Member' });
  const newcomer = h.addPerson({ name: 'Nia New' });
  const design = h.kantata.addGroup('Design');
  const sales = h.kantata.addGroup('Sales');
  return { h, admin, owner, member, newcomer, design, sales };
}

/** `/groups <text>` and its (first) answer, as text. */
export async function said(h: TestBot, person: Person, text: string): Promise<string> {
  const reply = await h.command(person.slackId, text);
  return textOf(await h.waitForResponse(reply.responseUrl));
}

/** The request's DM to an owner (the copy of the card), once sent. */
export async function ownerDmOf(h: TestBot, owner: Person, changeId: string): Promise<FakeSlackMessage> {
  let dm: FakeSlackMessage | undefined;
  await vi.waitFor(() => {
    dm = h.slack.messages
      .dmsTo(owner.slackId)
      .find((m) => textOf(m).includes(changeId) && hasButtonOrDecided(m));
    if (!dm) throw new Error('no owner DM yet');
  }, WAIT);
  return dm!;
}

/** Waits until the owner's DM for this request says `text`. */
export async function ownerDmSaying(h: TestBot, owner: Person, changeId: string, text: string) {
  let dm: FakeSlackMessage | undefined;
  await vi.waitFor(async () => {
    dm = await ownerDmOf(h, owner, changeId);
    if (!textOf(dm).includes(text))
      throw new Error(`owner DM does not say ${text}: ${textOf(dm).slice(0, 200)}`);
  }, WAIT);
  return dm!;
}

/** Clicks a button in a DM (which has a response_url like any message); returns the URL of the answer. */
export async function clickInDm(
  h: TestBot,
  person: Person,
  dm: FakeSlackMessage,
  actionId: string,
  value: string,
): Promise<string> {
  const responseUrl = h.slack.responseUrl();
  const response = await h.click(person.slackId, actionId, value, {
    responseUrl,
    channel: dm.channel,
    messageTs: dm.ts,
  });
  expect(response.status).toBe(200);
  return responseUrl;
}

/** The copy of a card (not the requester's outcome DM, which has no buttons and says "Your request"). */
function hasButtonOrDecided(m: FakeSlackMessage): boolean {
  return textOf(m).includes('Request:');
}

export function expectDecisionButtons(message: FakeSlackMessage | undefined, present: boolean): void {
  expect(hasButton(message, ACTION.requestApprove)).toBe(present);
  expect(hasButton(message, ACTION.requestDeny)).toBe(present);
}
