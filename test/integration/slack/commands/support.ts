import { expect, vi } from 'vitest';
import type { Change } from '../../../../src/approvals/types.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { findElement } from '../../../fakes/fake-slack/index.js';
import { NOTIFY_CHANNEL, startTestBot, type TestBot, type TestBotOptions } from '../../harness.js';

/** The shared harness (kept as a name so the tests read the same). */
export function startCommandTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  return startTestBot(options);
}

/** Everything a message says (blocks and fallback), for `toContain` checks. */
// biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
export function textOf(body: any): string {
  return `${body?.text ?? ''}\n${JSON.stringify(body?.blocks ?? [])}`;
}

/** The value (a change id or page) of a button in a message, or undefined. */
// biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
export function buttonValue(body: any, actionId: string): string | undefined {
  const found = findElement(body?.blocks, actionId);
  return typeof found?.element.value === 'string' ? found.element.value : undefined;
}

/** The change id a preview carries (on Apply, Request approval or Cancel). */
// biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
export function changeIdOf(body: any): string {
  const id =
    buttonValue(body, ACTION.changeApply) ??
    buttonValue(body, ACTION.changeRequest) ??
    buttonValue(body, ACTION.changeCancel);
  expect(id, `no change buttons in ${textOf(body)}`).toBeDefined();
  return id!;
}

/** Waits until the change reached one of these statuses, and returns it. */
export async function waitForStatus(
  h: TestBot,
  changeId: string,
  statuses: Change['status'][],
): Promise<Change> {
  let change: Change | null = null;
  await vi.waitFor(
    async () => {
      change = await h.bot.store.getChange(changeId);
      if (!change || !statuses.includes(change.status)) throw new Error(`status ${change?.status}`);
    },
    { timeout: 15_000, interval: 20 },
  );
  return change!;
}

/** Every response must have been accepted by the fake (it refuses what Slack refuses, with 400). */
export function expectAllAccepted(h: TestBot): void {
  const refused = h.slack.responses.filter((r) => r.status !== 200);
  expect(refused.map((r) => ({ status: r.status, text: textOf(r.body).slice(0, 200) }))).toEqual([]);
}

/** The notification of a change in the notify channel (and its thread replies naming it), once posted. */
export async function notificationOf(h: TestBot, changeId: string) {
  await vi.waitFor(
    () => {
      if (!h.slack.messages.inChannel(NOTIFY_CHANNEL).some((m) => textOf(m).includes(changeId))) {
        throw new Error('no notification yet');
      }
    },
    { timeout: 15_000, interval: 20 },
  );
  return h.slack.messages.inChannel(NOTIFY_CHANNEL).filter((m) => textOf(m).includes(changeId));
}

/** Memberships of a group in Kantata, as user ids. */
export function memberIds(h: TestBot, groupId: string): string[] {
  return h.kantata
    .memberships(groupId)
    .map((m) => m.userId)
    .sort();
}

export function membershipPosts(h: TestBot): number {
  return h.kantata.requests.filter((r) => r.method === 'POST' && r.path === '/user_group_memberships').length;
}
