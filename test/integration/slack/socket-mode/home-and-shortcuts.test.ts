import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION, BLOCK, SHORTCUT, VIEW } from '../../../../src/slack/ids.js';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  findElement,
  messageShortcutPayload,
} from '../../../fakes/fake-slack/index.js';
import type { Person } from '../../harness.js';
import { waitForStatus } from '../commands/support.js';
import { homeSaying, homeText } from '../home/support.js';
import { type SocketBot, socketCommand, startSocketModeBot } from './support.js';

const WAIT = { timeout: 15_000, interval: 20 };

let h: SocketBot;
let admin: Person;
let owner: Person;
let member: Person;
let newcomer: Person;

beforeAll(async () => {
  h = await startSocketModeBot();
  admin = h.addPerson({ name: 'Sol Admin', admin: true });
  owner = h.addPerson({ name: 'Oz Owner' });
  member = h.addPerson({ name: 'Max Member' });
  newcomer = h.addPerson({ name: 'Nell New' });
  h.kantata.addGroup('Design');
});

afterAll(async () => {
  await h?.stop();
});

describe('the Home tab and shortcuts in Socket Mode (events arrive as events_api envelopes)', () => {
  it('app_home_opened as an events_api envelope is acked and publishes the Home; Approve on it works', async () => {
    await said(admin, `owners Design add <@${owner.slackId}>`);
    const changeId = await socketRequest(member, `add Design ${newcomer.email} --reason socket`);
    const ack = await h.socket.event(appHomeOpenedEvent(owner.slackId));
    expect(ack.status).toBe('acked');
    const home = await homeSaying(h, owner, changeId);
    expect(homeText(h, owner)).toContain('Requests you may decide');
    expect(findElement(home.view.blocks as unknown[], ACTION.requestApprove)?.element.value).toBe(changeId);

    const click = await h.socket.interactive(
      blockActionPayload({
        userId: owner.slackId,
        actionId: ACTION.requestApprove,
        value: changeId,
        triggerId: h.slack.newTriggerId(),
        view: h.slack.viewPayload(home.id),
      }) as unknown as Record<string, unknown>,
    );
    expect(click.status).toBe('acked');
    await waitForStatus(h, changeId, ['applied']);
    await homeSaying(h, owner, 'Nothing is waiting for your decision');
  });

  it('a redelivered app_home_opened (same event_id) publishes once', async () => {
    // Someone no change concerns, so that no refresh of another test's change publishes their Home meanwhile.
    const quiet = h.addPerson({ name: 'Quinn Quiet' });
    const publishes = () =>
      h.slack.callsTo('views.publish').filter((c) => c.args.user_id === quiet.slackId).length;
    const ack = await h.socket.event(appHomeOpenedEvent(quiet.slackId), { eventId: 'EvSAMEHOME1' });
    expect(ack.status).toBe('acked');
    await homeSaying(h, quiet, 'Quinn Quiet');
    await h.socket.event(appHomeOpenedEvent(quiet.slackId), { eventId: 'EvSAMEHOME1' });
    await new Promise((r) => setTimeout(r, 300));
    await h.bot.slack.context.home.idle();
    expect(publishes()).toBe(1);
  });

  it('the message shortcut arrives as an interactive envelope and opens the pre-filled modal', async () => {
    const ack = await h.socket.interactive(
      messageShortcutPayload({
        userId: admin.slackId,
        callbackId: SHORTCUT.addFromMessage,
        triggerId: h.slack.newTriggerId(),
        responseUrl: h.slack.responseUrl(),
        message: { user: member.slackId, text: `welcome <@${newcomer.slackId}> and ann@example.com` },
      }),
    );
    expect(ack.status).toBe('acked');
    await vi.waitFor(() => {
      const view = h.slack.views.byCallbackId(VIEW.changeModal)?.view as
        | { blocks: { block_id?: string; element?: Record<string, unknown> }[] }
        | undefined;
      const people = view?.blocks.find((b) => b.block_id === BLOCK.modalPeople)?.element?.initial_users;
      expect(people).toEqual([newcomer.slackId]);
      const emails = view?.blocks.find((b) => b.block_id === BLOCK.modalEmails)?.element?.initial_value;
      expect(emails).toBe('ann@example.com');
    }, WAIT);
  });
});

/** `/groups <text>` as a slash_commands envelope; its first answer. */
async function said(person: Person, text: string) {
  const sent = socketCommand(h, person.slackId, text);
  expect((await sent).status).toBe('acked');
  return h.waitForResponse(sent.responseUrl);
}

/** A request made in Socket Mode: the command, then Request approval as an interactive envelope. */
async function socketRequest(person: Person, text: string): Promise<string> {
  const sent = socketCommand(h, person.slackId, text);
  await sent;
  const preview = await h.waitForResponse(sent.responseUrl);
  const changeId = findElement(preview.blocks, ACTION.changeRequest)?.element.value as string;
  const click = await h.socket.interactive(
    blockActionPayload({
      userId: person.slackId,
      actionId: ACTION.changeRequest,
      value: changeId,
      triggerId: h.slack.newTriggerId(),
      responseUrl: sent.responseUrl,
      message: { channel: 'C0FAKECHAN', ts: '1700000000.000100', ephemeral: true },
    }) as unknown as Record<string, unknown>,
  );
  expect(click.status).toBe('acked');
  await waitForStatus(h, changeId, ['pending']);
  return changeId;
}
