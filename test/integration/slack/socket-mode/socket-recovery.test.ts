import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AckResult } from '../../../fakes/fake-socket-mode/fake-socket-mode.js';
import { createFastPacerClock } from '../../../fakes/fast-pacer-clock.js';
import { type SocketBot, socketCommand, startSocketModeBot } from './support.js';

let h: SocketBot | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const openFailures = (lines: string[]) =>
  lines.filter((l) => l.includes('apps.connections.open failed')).map((l) => JSON.parse(l));

describe('apps.connections.open failing', () => {
  it('503 five times, then ratelimited, during a reconnect: retried, logged each time, nothing lost', async () => {
    const lines: string[] = [];
    const clock = createFastPacerClock(100);
    h = await startSocketModeBot({ logLines: lines, bot: { pacerClock: clock } });
    const admin = h.addPerson({ name: 'Rae Admin', admin: true });
    await vi.waitFor(() => expect(h?.socket.connectionCount()).toBe(2), { timeout: 5_000 });

    h.socket.failOpen([503, 503, 503, 503, 503, 'ratelimited'], 30);
    expect(h.socket.drop()).toBe(true);
    const sent: (Promise<AckResult> & { responseUrl: string })[] = [];
    for (let i = 0; i < 20; i++) {
      sent.push(socketCommand(h, admin.slackId, 'whoami'));
      await new Promise((r) => setTimeout(r, 50));
    }
    const acks = await Promise.all(sent);
    expect(acks.filter((a) => a.status !== 'acked')).toEqual([]);
    await vi.waitFor(() => expect(h?.socket.connectionCount()).toBe(2), { timeout: 10_000 });

    const failures = openFailures(lines);
    expect(failures).toHaveLength(6);
    expect(failures.map((f) => f.slackError)).toEqual([...Array(5).fill('http_503'), 'ratelimited']);
    // The back-off grows (with jitter) and the rate limit's Retry-After (30 s) is honoured in full.
    expect(failures[5].waitMs).toBeGreaterThanOrEqual(30_000);
    expect(failures[4].waitMs).toBeGreaterThan(failures[0].waitMs);
    for (const s of sent) await h.waitForResponse(s.responseUrl);
  });

  it('starts once Slack answers, however many times it failed first', async () => {
    const lines: string[] = [];
    const { startFakeSlack } = await import('../../../fakes/fake-slack/index.js');
    const slack = await startFakeSlack({ socketMode: true });
    slack.socketMode?.failOpen([503, 503, 503, 500, 'ratelimited', 503, 503, 503]);
    try {
      h = await startSocketModeBot({
        slack,
        logLines: lines,
        bot: { pacerClock: createFastPacerClock(200) },
      });
      expect(openFailures(lines).length).toBeGreaterThanOrEqual(8);
      const admin = h.addPerson({ name: 'Kit Admin', admin: true });
      const ack = await socketCommand(h, admin.slackId, 'help');
      expect(ack.status).toBe('acked');
    } finally {
      await h?.stop();
      h = undefined;
      await slack.close();
    }
  });

  it('refuses to start with a clear message when the app token is not one', async () => {
    const { startFakeSlack } = await import('../../../fakes/fake-slack/index.js');
    const slack = await startFakeSlack({ socketMode: true });
    try {
      await expect(
        startSocketModeBot({ slack, env: { SLACK_APP_TOKEN: 'xapp-not-the-right-one' } }),
      ).rejects.toThrow(/SLACK_APP_TOKEN.*invalid_auth/);
    } finally {
      await slack.close();
    }
  });

  it('serves /healthz and /readyz on HOST in Socket Mode too', async () => {
    h = await startSocketModeBot({ env: { HOST: '127.0.0.2' } });
    const ready = await fetch(`http://127.0.0.2:${h.bot.port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { slack: true } });
    // Not on 127.0.0.1 (another test's server may happen to hold that address and port: it is not this bot).
    const elsewhere = await fetch(`http://127.0.0.1:${h.bot.port}/readyz`).then(
      async (res) => res.text(),
      () => 'refused',
    );
    expect(elsewhere).not.toContain('"slack":true');
  });
});
