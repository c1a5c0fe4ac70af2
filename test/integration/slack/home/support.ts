import { expect, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  eventCallbackBody,
  type FakeSlackView,
  sendEvent,
} from '../../../fakes/fake-slack/index.js';
import { type Person, SIGNING_SECRET, type TestBot } from '../../harness.js';
import { changeIdOf, textOf, waitForStatus } from '../commands/support.js';

const WAIT = { timeout: 15_000, interval: 20 };

/** The Home tab published for this person, if any. */
export function homeOf(h: TestBot, person: Person): FakeSlackView | undefined {
  return h.slack.views.homeOf(person.slackId);
}

export function homeText(h: TestBot, person: Person): string {
  return textOf(homeOf(h, person)?.view);
}

/** Waits until this person's Home tab says (or no longer says) `text`. */
export async function homeSaying(
  h: TestBot,
  person: Person,
  text: string,
  present = true,
): Promise<FakeSlackView> {
  await vi.waitFor(() => {
    if (homeText(h, person).includes(text) !== present)
      throw new Error(
        `Home of ${person.name} ${present ? 'does not say' : 'still says'} ${text}: ${homeText(h, person).slice(0, 300)}`,
      );
  }, WAIT);
  return homeOf(h, person)!;
}

/** `app_home_opened` over HTTP, as Slack sends it (a signed JSON Events API callback); waits for the publish. */
export async function openHome(
  h: TestBot,
  person: Person,
  tab: 'home' | 'messages' = 'home',
): Promise<FakeSlackView | undefined> {
  const before = homeOf(h, person)?.updates ?? -1;
  const response = await sendEvent(
    h.endpoint,
    SIGNING_SECRET,
    eventCallbackBody(appHomeOpenedEvent(person.slackId, tab)),
  );
  expect(response.status).toBe(200);
  if (tab !== 'home') return undefined;
  await vi.waitFor(() => {
    if ((homeOf(h, person)?.updates ?? -1) <= before) throw new Error('Home not published yet');
  }, WAIT);
  return homeOf(h, person);
}

/** A click on a button of this person's Home tab (a `block_actions` from a view: no channel, no response_url). */
export async function clickHome(h: TestBot, person: Person, actionId: string, value: string) {
  const home = homeOf(h, person);
  expect(home, `no Home for ${person.name}`).toBeDefined();
  const payload = blockActionPayload({
    userId: person.slackId,
    actionId,
    value,
    triggerId: h.slack.newTriggerId(),
    view: h.slack.viewPayload(home!.id),
  });
  const response = await h.interact(payload);
  expect(response.status).toBe(200);
}

/** An administrator adds people (previewed, applied); returns the applied change's id. */
export async function applyAsAdmin(h: TestBot, admin: Person, text: string): Promise<string> {
  const reply = await h.command(admin.slackId, text);
  const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
  await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId, ['applied']);
  return changeId;
}
