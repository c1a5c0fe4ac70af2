/**
 * A full disk during a commit (issue 9, item 7), on a real 1 MB tmpfs: the bot runs in a mount namespace of
 * its own (`unshare -m`) with its store on the tmpfs; the test fills that tmpfs from inside the namespace
 * (`nsenter`). The person gets the clear "storage is unavailable" answer, /readyz names the store, and once
 * space is back the bot works again without a restart. And a disk that fills in the middle of an apply (issue
 * 15): the clicker is told what Kantata holds, and the change is settled and announced once space is back.
 * Needs root (mount namespaces); skipped otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../src/slack/ids.js';
import {
  askBot,
  BOT_NOTIFY_CHANNEL,
  botEnv,
  buttonValueIn,
  clickPreviewButton,
  sendGroupsCommand,
  startBotProcess,
  waitForResponse,
} from '../../fakes/bot-process.js';
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

  it('full in the middle of an apply: the clicker is told what Kantata holds; once space is back the change is settled and announced, once', async () => {
    kantata.addUser({ email: 'mia.admin@example.com', name: 'Mia Admin', admin: true });
    const mia = slack.addUser({ name: 'mia', realName: 'Mia Admin', email: 'mia.admin@example.com' });
    const group = kantata.addGroup('Midway');
    const hires = kantata.addUsers(250, 'midway');
    const here = join(dir, 'midway');
    mkdirSync(here, { recursive: true });
    const bot = await startBotProcess({
      env: botEnv({
        slack,
        kantata,
        storeUrl: `file:${join(here, 'store.json')}`,
        extra: { CHANGE_LEASE: '2s', KANTATA_CONCURRENCY: '1' },
      }),
      wrapper: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', here],
    });
    const inBotNamespace = (script: string) =>
      execFileSync('nsenter', ['-t', String(bot.pid), '-m', 'sh', '-c', script], { stdio: 'pipe' });
    const { responseUrl, body } = await askBot(bot, slack, {
      userId: mia.id,
      text: `add Midway ${hires.map((h) => h.email).join(' ')}`,
    });
    const changeId = buttonValueIn(body, ACTION.changeApply);
    expect(changeId).not.toBe('');

    kantata.setLatency(700);
    await clickPreviewButton(bot, slack, {
      userId: mia.id,
      actionId: ACTION.changeApply,
      responseUrl,
      value: changeId,
    });
    await vi.waitFor(() => expect(kantata.memberships(group.id).length).toBeGreaterThanOrEqual(100), {
      timeout: 30_000,
      interval: 10,
    });
    inBotNamespace(`cat /dev/zero > "${here}/filler" 2>/dev/null; true`);
    // The storage failure, with what Kantata holds; Kantata's side of the change goes on to its end.
    await vi.waitFor(
      () => {
        const said = slack.responses.filter((r) => r.url === responseUrl).map((r) => JSON.stringify(r.body));
        if (!said.some((t) => t.includes('lost its storage')))
          throw new Error(`not told yet: ${said.at(-1)}`);
      },
      { timeout: 30_000, interval: 50 },
    );
    await vi.waitFor(() => expect(kantata.memberships(group.id)).toHaveLength(250), { timeout: 30_000 });
    kantata.setLatency(0);
    const notices = () =>
      slack.messages.inChannel(BOT_NOTIFY_CHANNEL).filter((m) => JSON.stringify(m.blocks).includes(changeId));
    expect(notices()).toHaveLength(0);

    inBotNamespace(`rm -f "${here}/filler"`);
    // The lease lapses (nobody could renew it) and the takeover settles the change: recorded, audited, announced.
    await vi.waitFor(() => expect(notices()).toHaveLength(1), { timeout: 30_000, interval: 100 });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(notices()).toHaveLength(1);
    const posted = kantata.requests
      .filter((r) => r.method === 'POST' && r.path === '/user_group_memberships')
      .flatMap((r) =>
        ((r.body as { user_group_memberships?: { user_id: unknown }[] }).user_group_memberships ?? []).map(
          (m) => String(m.user_id),
        ),
      );
    expect(new Set(posted).size).toBe(posted.length);
    const historyUrl = slack.responseUrl();
    await sendGroupsCommand(bot, slack, { userId: mia.id, text: 'history Midway', responseUrl: historyUrl });
    const history = JSON.stringify(await waitForResponse(slack, historyUrl, 1, bot));
    expect(history).toContain('*added* 250 people');
    expect(history).toContain('finished after a restart');
    expect(history.split(changeId).length - 1).toBe(1);
    expect(bot.exit).toBeNull();
  });
});
