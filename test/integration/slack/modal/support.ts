import type { ViewStateValue } from '@slack/bolt';
import { expect, vi } from 'vitest';
import { ACTION, BLOCK } from '../../../../src/slack/ids.js';
import {
  type FakeSlackView,
  type SignedResponse,
  stateValue,
  viewSubmissionPayload,
} from '../../../fakes/fake-slack/index.js';
import {
  type Person,
  startBotWithAdminAndMember,
  startTestBot,
  type TestBot,
  type TestBotOptions,
} from '../../harness.js';

/** The shared harness (kept as a name so the tests read the same). */
export function startModalTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  return startTestBot(options);
}

/** The harness with Ada Admin and Mo Member (in that order) and a Kantata group "Design". */
export async function startModalBotWithDesign(
  options: TestBotOptions = {},
): Promise<{ h: TestBot; admin: Person; member: Person; design: { id: string; name: string } }> {
  const cast = await startBotWithAdminAndMember(options);
  return { ...cast, design: cast.h.kantata.addGroup('Design') };
}

/** `/groups` alone; returns the id of the modal the app opened with this command's trigger_id. */
export async function openModal(h: TestBot, userId: string): Promise<string> {
  const before = h.slack.callsTo('views.open').length;
  const known = new Set(h.slack.views.all().map((v) => v.id));
  const reply = await h.command(userId, '', { expectResponses: 0 });
  expect(reply.status).toBe(200);
  await vi.waitFor(() => expect(h.slack.callsTo('views.open').length).toBeGreaterThan(before), {
    timeout: 5_000,
    interval: 10,
  });
  // The view just opened is the modal the fake did not have before: an earlier test's modal may still be
  // updated meanwhile (its work goes on after its test ended), and a Home tab published is not a modal.
  const opened = h.slack.views
    .all()
    .filter((v) => v.view?.type === 'modal' && !known.has(v.id))
    .at(-1);
  expect(opened?.view?.callback_id).toBe('change_modal');
  return opened!.id;
}

export type FormInput = {
  action?: 'add' | 'remove' | 'sync' | 'members';
  group?: { id: string; name: string };
  users?: string[];
  emails?: string;
  reason?: string;
  /** "For how long": `1d`, `7d`, `30d`, `90d`, `until` (default permanent), and the date for `until`. */
  term?: string;
  until?: string;
  /** Channels picked in "Everyone in a channel". */
  channels?: string[];
  /** Uploaded files as Slack puts them in the submission (`h.slack.fileJson(id)`). */
  files?: Record<string, unknown>[];
};

/** `view.state.values` as Slack fills them for the `/groups` modal. */
export function formValues(input: FormInput): Record<string, Record<string, ViewStateValue>> {
  return {
    [BLOCK.modalAction]: { [ACTION.modalAction]: stateValue.radio(input.action ?? 'add') },
    [BLOCK.modalGroup]: {
      [ACTION.modalGroup]: input.group
        ? stateValue.externalOption(input.group.id, input.group.name)
        : { type: 'external_select', selected_option: null },
    },
    [BLOCK.modalPeople]: { [ACTION.modalPeople]: stateValue.users(input.users ?? []) },
    [BLOCK.modalEmails]: { [ACTION.modalEmails]: stateValue.text(input.emails ?? null) },
    [BLOCK.modalChannels]: {
      [ACTION.modalChannels]: {
        type: 'multi_conversations_select',
        selected_conversations: input.channels ?? [],
      } as unknown as ViewStateValue,
    },
    [BLOCK.modalFile]: {
      [ACTION.modalFile]: { type: 'file_input', files: input.files ?? [] } as unknown as ViewStateValue,
    },
    [BLOCK.modalReason]: { [ACTION.modalReason]: stateValue.text(input.reason ?? null) },
    [BLOCK.modalTerm]: { [ACTION.modalTerm]: stateValue.staticOption(input.term ?? 'permanent') },
    [BLOCK.modalUntil]: { [ACTION.modalUntil]: stateValue.date(input.until ?? null) },
  };
}

/** Submits the modal `viewId` as it is now in the fake Slack, with these values. */
export function submit(
  h: TestBot,
  userId: string,
  viewId: string,
  values: Record<string, Record<string, ViewStateValue>> = {},
): Promise<SignedResponse> {
  const view = h.slack.viewPayload(viewId, values);
  return h.interact(viewSubmissionPayload({ userId, triggerId: h.slack.newTriggerId(viewId), view }));
}

/** Waits until the modal shows a view that passes `test`, and returns it. */
export async function waitForView(
  h: TestBot,
  viewId: string,
  test: (view: FakeSlackView) => boolean,
  what = 'the expected view',
): Promise<FakeSlackView> {
  let found: FakeSlackView | undefined;
  await vi.waitFor(
    () => {
      const view = h.slack.views.get(viewId);
      if (!view || !test(view))
        throw new Error(`waiting for ${what}; now: ${JSON.stringify(view?.view).slice(0, 300)}`);
      found = view;
    },
    { timeout: 10_000, interval: 20 },
  );
  return found!;
}

export function withCallback(callbackId: string) {
  return (v: FakeSlackView) => v.view?.callback_id === callbackId;
}

export function withTitle(title: string) {
  return (v: FakeSlackView) => v.view?.title?.text === title;
}

/** Everything a view says, for `toContain` checks. */
// biome-ignore lint/suspicious/noExplicitAny: views are read loosely in tests
export function viewText(view: any): string {
  return JSON.stringify(view?.blocks ?? []);
}
