/**
 * A full disk during a commit (issue 9, item 7), on a real 1 MB tmpfs: the bot runs in a mount namespace of
 * its own (`unshare -m`) with its store on the tmpfs; the test fills that tmpfs from inside the namespace
 * (`nsenter`). The person gets the clear "storage is unavailable" answer, /readyz names the store, and once
 * space is back the bot works again without a restart. Needs root (mount namespaces); skipped otherwise.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { botEnv, sendGroupsCommand, startBotProcess, waitForResponse } from '../../fakes/bot-process.js';
import { useBotProcessWorld } from '../../fakes/bot-process-world.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import type { FakeSlack } from '../../fakes/fake-slack/index.js';

function canMountTmpfs(): boolean {
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d"'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

const mountable = canMountTmpfs();
if (!mountable)
  console.warn('disk-full test SKIPPED: this machine does not allow a tmpfs in a mount namespace');

describe.skipIf(!mountable)('a full disk under the embedded store', { timeout: 90_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;

  useBotProcessWorld('store-disk-full-', (world) => {
    ({ kantata, slack, dir } = world);
  });

  it('answers "storage is unavailable", fails /readyz on the store, and recovers once space is back', async () => {
    kantata.addUser({ email: 'ann.admin@example.com', name: 'Ann Admin', admin: true });
    const ann = slack.addUser({ name: 'ann', realName: 'Ann Admin', email: 'ann.admin@example.com' });
    kantata.addGroup('Onboarding');
    const hires = kantata.addUsers(50, 'hire');
    const store = join(dir, 'store.json');
    const bot = await startBotProcess({
      env: botEnv({ slack, kantata, storeUrl: `file:${store}` }),
      wrapper: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', dir],
    });
    const inBotNamespace = (script: string) =>
      execFileSync('nsenter', ['-t', String(bot.pid), '-m', 'sh', '-c', script], { stdio: 'pipe' });
    const add = `add Onboarding ${hires.map((h) => h.email).join(' ')}`;

    expect((await bot.get('/readyz')).json).toMatchObject({ checks: { store: true } });

    inBotNamespace(`cat /dev/zero > "${dir}/filler" 2>/dev/null; true`);
    const url = slack.responseUrl();
    await sendGroupsCommand(bot, slack, { userId: ann.id, text: add, responseUrl: url });
    const answer = await waitForResponse(slack, url, 1, bot);
    expect(answer.text).toContain('Storage is unavailable');
    expect(answer.text).toContain('nothing was changed');
    const ready = await bot.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ failing: expect.arrayContaining(['store']) });

    inBotNamespace(`rm -f "${dir}/filler"`);
    expect((await bot.get('/readyz')).json).toMatchObject({ checks: { store: true } });
    const again = slack.responseUrl();
    await sendGroupsCommand(bot, slack, { userId: ann.id, text: add, responseUrl: again });
    const preview = await waitForResponse(slack, again, 1, bot);
    expect(JSON.stringify(preview)).toContain('Onboarding');
    expect(JSON.stringify(preview)).not.toContain('Storage is unavailable');
    expect(bot.exit).toBeNull();
  });
});
