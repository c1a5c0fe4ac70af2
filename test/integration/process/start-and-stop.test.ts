/**
 * `npm start` as an operator meets it (SPEC §6-§7): the real entry point in a child process. A missing
 * configuration is named variable by variable; a Kantata token of a non-administrator is refused; a
 * configured bot answers /healthz and /readyz and stops gracefully on SIGTERM. Secrets never reach its output.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOT_SIGNING_SECRET, botEnv, runBotProcessToExit, startBotProcess } from '../../fakes/bot-process.js';
import { useBotProcessWorld } from '../../fakes/bot-process-world.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import type { FakeSlack } from '../../fakes/fake-slack/index.js';

describe('the bot process: start, health, stop', { timeout: 60_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;

  useBotProcessWorld('bot-start-stop-', (world) => {
    ({ kantata, slack, dir } = world);
  });

  it('with no configuration at all, exits 1 naming every missing variable', async () => {
    const result = await runBotProcessToExit({ env: {} });

    expect(result.code).toBe(1);
    for (const name of [
      'SLACK_BOT_TOKEN',
      'KANTATA_API_TOKEN',
      'NOTIFY_CHANNEL_ID',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr).toContain('cannot start');
    // A clear message, not a crash: no stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('with a store file where nothing can be written, exits 1 naming it, without a stack trace', async () => {
    // /proc takes no new files, not even for root: the folder cannot be made, the lock cannot be taken.
    const result = await runBotProcessToExit({
      env: botEnv({ slack, kantata, storeUrl: 'file:/proc/no-such-folder/store.json' }),
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot start');
    expect(result.stderr).toContain(
      'The folder /proc/no-such-folder cannot be made (ENOENT): check STORE_URL.',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs, answers /healthz and /readyz with store and Kantata up, and stops with code 0 on SIGTERM', async () => {
    const bot = await startBotProcess({
      env: botEnv({ slack, kantata, storeUrl: `file:${join(dir, 'healthy.json')}` }),
    });

    expect(await bot.get('/healthz')).toEqual({ status: 200, json: { ok: true } });
    expect(await bot.get('/readyz')).toEqual({
      status: 200,
      json: { ready: true, failing: [], checks: { store: true, kantata: true } },
    });

    bot.kill('SIGTERM');
    const exit = await bot.waitForExit(30_000);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(bot.logs().some((r) => r.msg === 'stopping' && r.signal === 'SIGTERM')).toBe(true);
    for (const secret of [slack.botToken, kantata.token, BOT_SIGNING_SECRET]) {
      expect(bot.stderr()).not.toContain(secret);
      expect(bot.stdout()).not.toContain(secret);
    }
  });

  it('refuses to start when the Kantata token belongs to someone who is not an administrator', async () => {
    const viewer = kantata.addUser({ email: 'nora.viewer@example.com', name: 'Nora Viewer', admin: false });
    kantata.setTokenOwner(viewer.id);
    try {
      const result = await runBotProcessToExit({
        env: botEnv({
          slack,
          kantata,
          storeUrl: `file:${join(dir, 'refused.json')}`,
          extra: { PORT: '0' },
        }),
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cannot start');
      expect(result.stderr).toContain('Nora Viewer');
      expect(result.stderr).toContain('not an account administrator');
      expect(result.stderr).not.toContain(kantata.token);
    } finally {
      kantata.setTokenOwner(kantata.ownerId);
    }
  });
});
