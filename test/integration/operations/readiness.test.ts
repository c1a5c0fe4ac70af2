/**
 * `/healthz` says alive, `/readyz` says ready for work: 503 naming the failing part when Kantata stops
 * answering, the store cannot write (PostgreSQL turned read-only) or, in Socket Mode, no connection to
 * Slack is open; 200 again once they recover. The real bot against the fakes (and the fake Socket Mode).
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { startTestBot, type TestBot } from '../harness.js';
import { type SocketBot, startSocketModeBot } from '../slack/socket-mode/support.js';
import { httpGet, readyz } from './http-get.js';

const FRESH_MS = 200;

describe('/healthz and /readyz (HTTP mode)', { timeout: 60_000 }, () => {
  let h: TestBot | undefined;

  afterEach(async () => {
    h?.kantata.clearMisbehaviour();
    await h?.stop();
    h = undefined;
  });

  it('/healthz answers alive with only the process asked; /readyz is 200 with every part named', async () => {
    h = await startTestBot({ bot: { operations: { kantataFreshMs: FRESH_MS } } });
    const health = await httpGet(`http://127.0.0.1:${h.bot.port}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
    expect(await readyz(h.bot.port)).toEqual({
      status: 200,
      json: { ready: true, failing: [], checks: { store: true, kantata: true } },
    });
  });

  it('is 503 naming kantata while Kantata stops answering, 200 again when it answers', async () => {
    h = await startTestBot({ bot: { operations: { kantataFreshMs: FRESH_MS } } });
    const bot = h;
    expect((await readyz(bot.bot.port)).status).toBe(200);

    bot.kantata.misbehave({ action: 'hang', times: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    const down = await readyz(bot.bot.port);
    expect(down).toEqual({
      status: 503,
      json: { ready: false, failing: ['kantata'], checks: { store: true, kantata: false } },
    });
    // Alive all the while: a Kantata outage must not get the bot restarted.
    expect((await httpGet(`http://127.0.0.1:${bot.bot.port}/healthz`)).status).toBe(200);

    bot.kantata.clearMisbehaviour();
    await vi.waitFor(async () => expect((await readyz(bot.bot.port)).status).toBe(200), {
      timeout: 20_000,
      interval: 250,
    });
  });

  it('is 503 while Kantata answers 5xx, and probes it once at a time however often it is polled', async () => {
    h = await startTestBot({ bot: { operations: { kantataFreshMs: FRESH_MS } } });
    const bot = h;
    bot.kantata.misbehave({ path: '/users/me', action: { status: 503 }, times: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    bot.kantata.resetRequests();
    const answers = await Promise.all(Array.from({ length: 20 }, () => readyz(bot.bot.port)));
    expect(answers.every((a) => a.status === 503 && a.json.failing.includes('kantata'))).toBe(true);
    // One probe with its retries (5 attempts) per second at most, not one per poll.
    expect(bot.kantata.requests.filter((r) => r.path === '/users/me').length).toBeLessThanOrEqual(10);

    bot.kantata.clearMisbehaviour();
    await vi.waitFor(async () => expect((await readyz(bot.bot.port)).status).toBe(200), { timeout: 20_000 });
  });
});

const adminUrl = process.env.TEST_POSTGRES_URL;
const describePostgres = adminUrl ? describe : describe.skip;

describePostgres('/readyz with a PostgreSQL store that stops taking writes', { timeout: 60_000 }, () => {
  const admin = new pg.Pool({ connectionString: adminUrl, max: 2 });
  admin.on('error', () => {});
  const name = `readyz_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let h: TestBot | undefined;

  afterAll(async () => {
    await h?.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  /** New sessions of the bot's database become read-only (as on a standby); existing ones are ended. */
  const setReadOnly = async (readOnly: boolean) => {
    await admin.query(
      `ALTER DATABASE "${name}" SET default_transaction_read_only = ${readOnly ? 'on' : 'off'}`,
    );
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  };

  it('is 503 naming the store while writes fail (reads still work), 200 again once writable', async () => {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const store = await openStore(url.toString(), { log: { warn: () => {} } });
    h = await startTestBot({ store, bot: { operations: { kantataFreshMs: 60_000 } } });
    const bot = h;
    try {
      expect((await readyz(bot.bot.port)).status).toBe(200);

      await setReadOnly(true);
      await vi.waitFor(
        async () =>
          expect(await readyz(bot.bot.port)).toEqual({
            status: 503,
            json: { ready: false, failing: ['store'], checks: { store: false, kantata: true } },
          }),
        { timeout: 15_000, interval: 200 },
      );
      // A read alone would have said the store is fine. (Retried: the first query may meet a pooled
      // session that the termination above ended, or a loaded machine's ping timeout.)
      await vi.waitFor(async () => expect(await store.ping()).toBe(true), { timeout: 15_000, interval: 200 });

      await setReadOnly(false);
      await vi.waitFor(async () => expect((await readyz(bot.bot.port)).status).toBe(200), {
        timeout: 15_000,
        interval: 200,
      });
    } finally {
      await bot.stop();
      await store.close();
      h = undefined;
    }
  });
});

describe('/readyz in Socket Mode', { timeout: 60_000 }, () => {
  let h: SocketBot | undefined;

  afterAll(async () => {
    await h?.stop();
  });

  it('is 503 naming slack while no connection is open, 200 again once Slack lets the bot reconnect', async () => {
    h = await startSocketModeBot({
      bot: { socketReadyLimitMs: 300, operations: { kantataFreshMs: 60_000 } },
    });
    const bot = h;
    await vi.waitFor(() => expect(bot.socket.connectionCount()).toBe(2), { timeout: 10_000 });
    expect(await readyz(bot.bot.port)).toEqual({
      status: 200,
      json: { ready: true, failing: [], checks: { store: true, kantata: true, slack: true } },
    });

    // Both sockets dropped, and Slack refuses new ones for a while: each slot fails twice before it gets one.
    bot.socket.failOpen([503, 503, 503, 503]);
    bot.socket.drop();
    bot.socket.drop();
    await vi.waitFor(
      async () =>
        expect(await readyz(bot.bot.port)).toEqual({
          status: 503,
          json: { ready: false, failing: ['slack'], checks: { store: true, kantata: true, slack: false } },
        }),
      { timeout: 10_000, interval: 50 },
    );
    expect((await httpGet(`http://127.0.0.1:${bot.bot.port}/healthz`)).status).toBe(200);

    await vi.waitFor(async () => expect((await readyz(bot.bot.port)).status).toBe(200), {
      timeout: 30_000,
      interval: 100,
    });
    expect(bot.socket.connectionCount()).toBeGreaterThan(0);
  });
});
