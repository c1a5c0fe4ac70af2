/**
 * The embedded store's lease (issue 9, item 6) with real processes: after a crash the bot starts again by
 * itself (a zombie holder, a recreated container under another host name), yet two live processes never
 * write one store, and a holder paused past its lease stops writing and exits with a clear message.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BOT_SLACK_TOKEN,
  botEnv,
  killBotProcesses,
  runBotProcessToExit,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.js';
import { killHolders, startHolder } from '../../store/fixtures/holder-process.js';

const LEASE = '2s';
const LEASE_MS = 2_000;
/** Where a live holder must keep its lease while the machine is loaded (renewed every half of it). */
const LONG_LEASE = '5s';
const LONG_LEASE_MS = 5_000;

describe('the embedded store lease, with real processes', { timeout: 240_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    [kantata, slack] = await Promise.all([startFakeKantata(), startFakeSlack({ botToken: BOT_SLACK_TOKEN })]);
    kantata.addUser({ email: 'ann.admin@example.com', name: 'Ann Admin', admin: true });
  });

  afterEach(async () => {
    await killBotProcesses();
    await killHolders();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await Promise.all([kantata?.close(), slack?.close()]);
  });

  const env = (lease = LEASE) =>
    botEnv({ slack, kantata, storeUrl: `file:${file}`, extra: { STORE_LOCK_LEASE: lease } });
  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'store-lock-'));
    file = join(dir, 'store.json');
  };

  it('SIGKILL then an immediate restart, 20 times in a row: every start succeeds by itself', async () => {
    fresh();
    const waits: number[] = [];
    for (let round = 0; round < 20; round++) {
      const started = Date.now();
      const bot = await startBotProcess({ env: env() });
      waits.push(Date.now() - started);
      expect((await bot.get('/healthz')).status).toBe(200);
      bot.kill('SIGKILL');
      expect(await bot.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    }
    expect(waits).toHaveLength(20);
  });

  it('starts after a holder that died as a zombie (its pid still looks alive)', async () => {
    fresh();
    // `exec sleep` replaces the shell, and sleep never reaps its child: the killed holder stays a zombie.
    const holder = startHolder(file, LEASE_MS, ['sh', '-c', '"$@" & exec sleep 60', 'zombie-parent']);
    const { ready: pid } = await holder.next((e) => e.ready !== undefined);
    process.kill(pid!, 'SIGKILL');
    await waitUntil(() => processState(pid!) === 'Z');
    expect(() => process.kill(pid!, 0)).not.toThrow();

    const bot = await startBotProcess({ env: env() });
    expect((await bot.get('/healthz')).status).toBe(200);
    holder.child.kill('SIGKILL');
  });

  it('takes over a lease left by another host name (a recreated container) once older than the lease', async () => {
    fresh();
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.lock.owner`, JSON.stringify({ pid: 1, hostname: 'old-container-7f9c' }));
    const past = new Date(Date.now() - 3 * LEASE_MS);
    utimesSync(`${file}.lock`, past, past);

    const bot = await startBotProcess({ env: env() });
    expect((await bot.get('/healthz')).status).toBe(200);
  });

  it('refuses a second live process on the same store, naming the file', async () => {
    fresh();
    const first = await startBotProcess({ env: env(LONG_LEASE) });
    const second = await runBotProcessToExit({
      env: { ...env(LONG_LEASE), PORT: '0', HOST: '127.0.0.1' },
      timeoutMs: 30_000,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`${file} is in use by another process`);
    expect((await first.get('/healthz')).status).toBe(200);
  });

  it('two processes racing for a stale lease: exactly one gets it, the other is refused', async () => {
    fresh();
    mkdirSync(`${file}.lock`);
    const past = new Date(Date.now() - 3 * LONG_LEASE_MS);
    utimesSync(`${file}.lock`, past, past);
    const racers = [startHolder(file, LONG_LEASE_MS), startHolder(file, LONG_LEASE_MS)];
    const outcomes = await Promise.all(
      racers.map((r) => r.next((e) => e.ready !== undefined || e.refused !== undefined, 60_000)),
    );
    expect(outcomes.filter((e) => e.ready !== undefined)).toHaveLength(1);
    const refused = outcomes.find((e) => e.refused !== undefined);
    expect(refused?.refused).toContain('is in use by another process');
  });

  it('a holder SIGSTOPped past its lease: the next process takes over, the old one stops writing and exits', async () => {
    fresh();
    const paused = await startBotProcess({ env: env() });
    process.kill(paused.pid, 'SIGSTOP');
    const next = startHolder(file, LEASE_MS);
    await next.next((e) => e.ready !== undefined, 30_000);
    next.write();
    expect(await next.next((e) => e.wrote !== undefined)).toEqual({ wrote: true });

    process.kill(paused.pid, 'SIGCONT');
    const exit = await paused.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(paused.stderr()).toContain('was lost');
    expect(paused.stderr()).toContain('Exiting');
    // The new holder still holds and writes.
    next.write();
    await waitUntil(() => next.events().filter((e) => e.wrote === true).length === 2);
    expect(next.events().some((e) => e.lost !== undefined)).toBe(false);
  });
});

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
