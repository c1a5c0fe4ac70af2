import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION, BLOCK, VIEW } from '../../../../src/slack/ids.js';
import type { AckResult } from '../../../fakes/fake-socket-mode/fake-socket-mode.js';
import type { Person } from '../../harness.js';
import { type SocketBot, socketCommand, socketOptions, socketSubmit, startSocketModeBot } from './support.js';

let h: SocketBot;
let admin: Person;

beforeAll(async () => {
  h = await startSocketModeBot();
  admin = h.addPerson({ name: 'Sol Admin', admin: true });
  for (const name of ['Design', 'Design Ops', 'QA']) h.kantata.addGroup(name);
});

afterAll(async () => {
  await h?.stop();
});

function expectAcked(result: AckResult): asserts result is Extract<AckResult, { status: 'acked' }> {
  expect(result.status).toBe('acked');
  if (result.status === 'acked') expect(result.ackMs).toBeLessThan(3000);
}

describe('Socket Mode through the real client', () => {
  it('keeps SOCKET_CONNECTIONS (2) connections and says so in /readyz', async () => {
    await vi.waitFor(() => expect(h.socket.connectionCount()).toBe(2), { timeout: 5_000 });
    // A connection counts as open on the bot's side once Slack's hello has arrived on it, a moment after
    // the fake has accepted it.
    await vi.waitFor(
      () => expect(h.bot.slack.connection.report()).toMatchObject({ openConnections: 2, ready: true }),
      { timeout: 5_000 },
    );
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ready: boolean; checks: Record<string, boolean> };
    expect(body).toMatchObject({ ready: true, checks: { store: true, kantata: true, slack: true } });
  });

  it('acks a command within 3 s and answers through response_url', async () => {
    const sent = socketCommand(h, admin.slackId, 'help');
    expectAcked(await sent);
    const reply = await h.waitForResponse(sent.responseUrl);
    expect(JSON.stringify(reply)).toContain('/groups');
  });

  it('acks an option load with the options as the ack payload', async () => {
    const ack = await socketOptions(h, admin.slackId, ACTION.modalGroup, BLOCK.modalGroup, 'des');
    expectAcked(ack);
    const options = (ack.payload as { options: { text: { text: string } }[] }).options;
    expect(options.map((o) => o.text.text)).toEqual(['Design', 'Design Ops']);
  });

  it('opens the modal from a command and acks its submission with response_action errors', async () => {
    const before = h.slack.callsTo('views.open').length;
    expectAcked(await socketCommand(h, admin.slackId, ''));
    await vi.waitFor(() => expect(h.slack.callsTo('views.open').length).toBe(before + 1), { timeout: 5_000 });
    const opened = h.slack.views.all().at(-1)!;
    expect(opened.view.callback_id).toBe(VIEW.changeModal);
    const ack = await socketSubmit(h, admin.slackId, opened.id, {});
    expectAcked(ack);
    expect(ack.payload).toMatchObject({ response_action: 'errors' });
  });

  it('acks a click', async () => {
    const ack = await h.socket.interactive({
      type: 'block_actions',
      user: { id: admin.slackId, username: 'sol', name: 'sol', team_id: h.slack.teamId },
      api_app_id: h.slack.appId,
      token: 'fake-verification-token',
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0FAKECHAN',
        is_ephemeral: true,
      },
      trigger_id: h.slack.newTriggerId(),
      team: { id: h.slack.teamId, domain: 'fake-team' },
      channel: { id: 'C0FAKECHAN', name: 'general' },
      response_url: h.slack.responseUrl(),
      actions: [
        { type: 'button', action_id: ACTION.changeCancel, block_id: 'actions', value: 'no-such-change' },
      ],
    });
    expectAcked(ack);
  });

  it('delivers every command once while a connection is refreshed under traffic (one every 100 ms)', async () => {
    const results: Promise<AckResult>[] = [];
    const urls: string[] = [];
    for (let i = 0; i < 30; i++) {
      const sent = socketCommand(h, admin.slackId, 'whoami');
      urls.push(sent.responseUrl);
      results.push(sent);
      if (i === 5) expect(h.socket.disconnect('refresh_requested')).toBe(true);
      if (i === 15) expect(h.socket.disconnect('warning')).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    const acks = await Promise.all(results);
    expect(acks.map((a) => a.status)).toEqual(acks.map(() => 'acked'));
    for (const url of urls) await h.waitForResponse(url);
    await new Promise((r) => setTimeout(r, 300));
    for (const url of urls) expect(h.responsesTo(url)).toHaveLength(1);
    await vi.waitFor(() => expect(h.socket.connectionCount()).toBe(2), { timeout: 5_000 });
  });

  it('replaces a socket dropped without a goodbye, and one that went silent', async () => {
    expect(h.socket.drop()).toBe(true);
    expectAcked(await socketCommand(h, admin.slackId, 'help'));
    await vi.waitFor(() => expect(h.socket.connectionCount()).toBe(2), { timeout: 5_000 });
    expect(h.socket.freeze()).toBe(true);
    expectAcked(await socketCommand(h, admin.slackId, 'help'));
    // Pings every 200 ms in this test; after three without a pong the bot replaces the connection.
    await vi.waitFor(() => expect(h.socket.connectionCount()).toBe(2), { timeout: 5_000 });
  });

  it('does the work of a redelivered envelope once', async () => {
    const sent = socketCommand(h, admin.slackId, 'whoami');
    const first = await sent;
    expectAcked(first);
    const again = await h.socket.redeliver(first.envelopeId);
    expectAcked(again);
    await h.waitForResponse(sent.responseUrl);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.responsesTo(sent.responseUrl)).toHaveLength(1);
  });
});
