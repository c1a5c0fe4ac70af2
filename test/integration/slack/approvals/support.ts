import { expect, vi } from 'vitest';
import { type Change, type ChangeAuditEntry, isChangeAudit } from '../../../../src/approvals/types.js';
import { ACTION, BLOCK, VIEW } from '../../../../src/slack/ids.js';
import {
  type FakeSlackMessage,
  findElement,
  type SignedResponse,
  stateValue,
  viewSubmissionPayload,
} from '../../../fakes/fake-slack/index.js';
import { APPROVALS_CHANNEL, NOTIFY_CHANNEL, type Person, type TestBot } from '../../harness.js';
import { buttonValue, textOf, waitForStatus } from '../commands/support.js';

export { buttonValue, textOf, waitForStatus };

const WAIT = { timeout: 15_000, interval: 20 };

/** `/groups add|remove …` by `requester`, then Request approval: returns the pending request's id. */
export async function sendRequest(h: TestBot, requester: Person, text: string): Promise<string> {
  const reply = await h.command(requester.slackId, text);
  const preview = await h.waitForResponse(reply.responseUrl);
  const changeId = buttonValue(preview, ACTION.changeRequest);
  expect(changeId, `no Request approval button in ${textOf(preview)}`).toBeDefined();
  await h.click(requester.slackId, ACTION.changeRequest, changeId!, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId!, ['pending']);
  await cardOf(h, changeId!);
  return changeId!;
}

/** The approval card of a request, once posted (found through the location the bot stored). */
export async function cardOf(h: TestBot, changeId: string): Promise<FakeSlackMessage> {
  let card: FakeSlackMessage | undefined;
  await vi.waitFor(async () => {
    const change = await h.bot.store.getChange(changeId);
    const ts = change?.locations?.approvalTs;
    card = ts ? h.slack.messages.get(APPROVALS_CHANNEL, ts) : undefined;
    if (!card) throw new Error('no approval card yet');
  }, WAIT);
  return card!;
}

/** Waits until the card says `text` (it is updated in place), and returns it. */
export async function cardSaying(h: TestBot, changeId: string, text: string): Promise<FakeSlackMessage> {
  let card: FakeSlackMessage | undefined;
  await vi.waitFor(async () => {
    card = await cardOf(h, changeId);
    if (!textOf(card).includes(text))
      throw new Error(`card does not say ${text}: ${textOf(card).slice(0, 300)}`);
  }, WAIT);
  return card!;
}

export function hasButton(message: FakeSlackMessage | undefined, actionId: string): boolean {
  return findElement(message?.blocks, actionId) !== undefined;
}

/** Clicks a button on the approval card; returns the response_url the ephemeral answer goes to. */
export async function clickCard(
  h: TestBot,
  user: Person,
  actionId: string,
  changeId: string,
): Promise<{ responseUrl: string; response: SignedResponse }> {
  const card = await cardOf(h, changeId);
  const responseUrl = h.slack.responseUrl();
  const response = await h.click(user.slackId, actionId, changeId, {
    responseUrl,
    channel: APPROVALS_CHANNEL,
    messageTs: card.ts,
  });
  return { responseUrl, response };
}

/** The first ephemeral answer to a click, as text. */
export async function answerTo(h: TestBot, responseUrl: string): Promise<string> {
  return textOf(await h.waitForResponse(responseUrl));
}

/** Direct messages the bot sent to this person that mention the change. */
export function dmsAbout(h: TestBot, person: Person, changeId: string): FakeSlackMessage[] {
  return h.slack.messages.dmsTo(person.slackId).filter((m) => textOf(m).includes(changeId));
}

export async function waitForDm(
  h: TestBot,
  person: Person,
  changeId: string,
  text: string,
): Promise<FakeSlackMessage> {
  let dm: FakeSlackMessage | undefined;
  await vi.waitFor(() => {
    dm = dmsAbout(h, person, changeId).find((m) => textOf(m).includes(text));
    if (!dm) throw new Error(`no DM saying ${text}`);
  }, WAIT);
  return dm!;
}

/** The notification of an applied change in the notify channel, once posted. */
export async function notificationOf(h: TestBot, changeId: string): Promise<FakeSlackMessage> {
  let found: FakeSlackMessage | undefined;
  await vi.waitFor(() => {
    found = h.slack.messages.inChannel(NOTIFY_CHANNEL).find((m) => textOf(m).includes(changeId));
    if (!found) throw new Error('no notification yet');
  }, WAIT);
  return found!;
}

/** Deny through the modal: click Deny, wait for the modal to be ready, type the reason, submit. */
export async function denyWithReason(
  h: TestBot,
  admin: Person,
  changeId: string,
  reason: string,
): Promise<void> {
  await clickCard(h, admin, ACTION.requestDeny, changeId);
  const viewId = await denyModalReady(h, changeId);
  const view = h.slack.viewPayload(viewId, {
    [BLOCK.denyReason]: { [ACTION.denyReason]: stateValue.text(reason) },
  });
  const submitted = await h.interact(
    viewSubmissionPayload({ userId: admin.slackId, triggerId: h.slack.newTriggerId(viewId), view }),
  );
  expect(submitted.status).toBe(200);
}

/** The deny modal of this change, once it shows the request (after the clicker was checked). */
export async function denyModalReady(h: TestBot, changeId: string): Promise<string> {
  let viewId: string | undefined;
  await vi.waitFor(() => {
    const found = h.slack.views
      .all()
      .filter((v) => v.view?.callback_id === VIEW.denyModal)
      .find((v) => JSON.stringify(v.view).includes(changeId) && v.updates > 0);
    viewId = found?.id;
    if (!viewId) throw new Error('deny modal not ready');
  }, WAIT);
  return viewId!;
}

export async function auditOf(h: TestBot, changeId: string): Promise<ChangeAuditEntry[]> {
  const entries: ChangeAuditEntry[] = [];
  for await (const entry of h.bot.store.exportAudit({}))
    if (isChangeAudit(entry) && entry.changeId === changeId) entries.push(entry);
  return entries;
}

export async function changeOf(h: TestBot, changeId: string): Promise<Change> {
  const change = await h.bot.store.getChange(changeId);
  expect(change).not.toBeNull();
  return change!;
}
