/**
 * The HTTP side under bad or hostile input, against the real entry point in a child process: payloads that
 * are not objects, timestamps from the future, slow-drip and connection floods, and repeated stop signals
 * during a drain. The process must answer clearly and keep running (or, for signals, finish its drain).
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_CONNECTIONS_PER_CLIENT } from '../../../src/slack/http/hardened-server.js';
import { ACTION } from '../../../src/slack/ids.js';
import {
  askBot,
  BOT_SIGNING_SECRET,
  type BotProcess,
  botEnv,
  buttonValueIn,
  clickPreviewButton,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { useBotProcessWorld } from '../../fakes/bot-process-world.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import { type FakeSlack, sendSignedForm, signSlackBody } from '../../fakes/fake-slack/index.js';

function postSigned(
  endpoint: string,
  body: string,
  contentType: string,
  timestamp?: number,
): Promise<{ status: number; body: string }> {
  const headers = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    ...signSlackBody(BOT_SIGNING_SECRET, body, timestamp),
  };
  return new Promise((resolve, reject) => {
    const req = request(endpoint, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('hardening of the HTTP side', { timeout: 90_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;
  let bot: BotProcess;

  // One bot for every test here: each probes the same running process, and most check it lives on.
  useBotProcessWorld(
    'bot-hardening-',
    (world) => {
      ({ kantata, slack, dir } = world);
    },
    { botsOutliveTests: true },
  );

  beforeAll(async () => {
    bot = await startBotProcess({
      env: botEnv({ slack, kantata, storeUrl: `file:${join(dir, 'store.json')}` }),
    });
  });

  it('answers 400 to a signed payload that is not an object, and lives on', async () => {
    const form = 'application/x-www-form-urlencoded';
    for (const payload of ['null', '[]', '[1,2]', '42', '"text"', 'true']) {
      const res = await sendSignedForm(
        bot.endpoint,
        BOT_SIGNING_SECRET,
        `payload=${encodeURIComponent(payload)}`,
      );
      expect({ payload, status: res.status }).toEqual({ payload, status: 400 });
    }
    for (const body of ['null', '[]', '7', '"x"']) {
      const res = await postSigned(bot.endpoint, body, 'application/json');
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await postSigned(bot.endpoint, 'payload=%7Bbroken', form)).status).toBe(400);
    expect(bot.exit).toBeNull();
    expect((await bot.get('/healthz')).status).toBe(200);
  });

  it('answers 404 to any other path, without an error in the log', async () => {
    expect((await bot.get('/wp-admin/setup.php')).status).toBe(404);
    expect((await postSigned(`${bot.baseUrl}/other`, '{}', 'application/json')).status).toBe(404);
    expect(bot.logs().filter((r) => r.level === 'error')).toEqual([]);
  });

  it('refuses timestamps more than 5 minutes away, in the past and in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
    const form = 'application/x-www-form-urlencoded';
    // A minute past the limit either way: the request's own travel time cannot bring it back inside.
    expect((await postSigned(bot.endpoint, body, form, now + 360)).status).toBe(401);
    expect((await postSigned(bot.endpoint, body, form, now - 360)).status).toBe(401);
    expect(bot.exit).toBeNull();
  });

  it('cuts off a client that drips its body slowly', async () => {
    const socket = connect(bot.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.write(' '), 500);
    const startedAt = Date.now();
    await new Promise<void>((r) => socket.once('close', () => r()));
    clearInterval(drip);
    const heldMs = Date.now() - startedAt;
    expect(heldMs).toBeGreaterThan(8_000);
    expect(heldMs).toBeLessThan(20_000);
  });

  it('caps the connections one client address may hold', async () => {
    const sockets: Socket[] = [];
    const closed: number[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS_PER_CLIENT + 5; i++) {
        const s = connect(bot.port, '127.0.0.1');
        s.on('error', () => undefined);
        s.once('close', () => closed.push(i));
        sockets.push(s);
        await new Promise<void>((r) => s.once('connect', () => r()));
      }
      await vi.waitFor(() => expect(closed.length).toBeGreaterThanOrEqual(5), { timeout: 5_000 });
      expect(Math.min(...closed)).toBeGreaterThanOrEqual(MAX_CONNECTIONS_PER_CLIENT);
    } finally {
      for (const s of sockets) s.destroy();
    }
    await vi.waitFor(async () => expect((await bot.get('/healthz')).status).toBe(200), { timeout: 5_000 });
  });
});

describe('stop signals during a drain', { timeout: 120_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;

  useBotProcessWorld('bot-signals-', (world) => {
    ({ kantata, slack, dir } = world);
  });

  it('ignores a second SIGTERM and a SIGINT while the work in flight finishes, then exits 0', async () => {
    const env = botEnv({
      slack,
      kantata,
      storeUrl: `file:${join(dir, 'store.json')}`,
      extra: { KANTATA_CONCURRENCY: '1', SHUTDOWN_TIMEOUT: '60s' },
    });
    kantata.addUser({ email: 'sig.admin@example.com', name: 'Sig Admin', admin: true });
    const admin = slack.addUser({ name: 'sig', realName: 'Sig Admin', email: 'sig.admin@example.com' });
    const group = kantata.addGroup('Drained');
    const hires = kantata.addUsers(300, 'drain');
    const bot = await startBotProcess({ env });
    const { responseUrl, body } = await askBot(bot, slack, {
      userId: admin.id,
      text: `add Drained ${hires.map((h) => h.email).join(' ')}`,
    });
    const changeId = buttonValueIn(body, ACTION.changeApply);
    kantata.setLatency(400);
    try {
      await clickPreviewButton(bot, slack, {
        userId: admin.id,
        actionId: ACTION.changeApply,
        responseUrl,
        value: changeId,
      });
      await vi.waitFor(() => expect(kantata.requests.some((r) => r.method === 'POST')).toBe(true), {
        timeout: 20_000,
      });
      bot.kill('SIGTERM');
      await bot.waitForLog((r) => r.msg === 'stopping');
      bot.kill('SIGTERM');
      bot.kill('SIGINT');
      const exit = await bot.waitForExit(90_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(bot.logs().filter((r) => r.msg?.startsWith('stop signal ignored')).length).toBe(2);
      expect(kantata.memberships(group.id)).toHaveLength(300);
    } finally {
      kantata.setLatency(0);
    }
  });
});
