/**
 * SPEC §8 "nothing is lost": the bot process is killed (SIGKILL, no chance to clean up) in the middle of
 * adding 1,000 people; a new process on the same store file finishes the change when it starts. The kill
 * lands in the worst window on purpose: one bulk POST has been applied by Kantata but never answered, so
 * it is missing from the change's journal. The restart must neither lose nor repeat anyone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Change } from '../../../src/approvals/types.js';
import { ACTION } from '../../../src/slack/ids.js';
import { openFileStore } from '../../../src/store/lowdb/file-store.js';
import {
  askBot,
  BOT_NOTIFY_CHANNEL,
  botEnv,
  buttonValueIn,
  clickPreviewButton,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { useBotProcessWorld } from '../../fakes/bot-process-world.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import type { FakeSlack } from '../../fakes/fake-slack/index.js';

const PEOPLE = 1_000;
const MEMBERSHIPS = '/user_group_memberships';

type StoreFile = { changes: Record<string, Change> };

describe('a bot process killed in the middle of a 1,000-person add', { timeout: 90_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;

  useBotProcessWorld('bot-kill-', (world) => {
    ({ kantata, slack, dir } = world);
  });

  it('is finished by the next process on the same store: everyone added once, the outcome announced', async () => {
    const storeFile = join(dir, 'store.json');
    const readStore = (): StoreFile => JSON.parse(readFileSync(storeFile, 'utf8')) as StoreFile;
    // Two requests in flight: the 10 bulk POSTs take several rounds, so the kill lands half-way.
    const env = botEnv({
      slack,
      kantata,
      storeUrl: `file:${storeFile}`,
      // A short lease: the restart waits for the killed process's lease to lapse.
      extra: { KANTATA_CONCURRENCY: '2', STORE_LOCK_LEASE: '2s' },
    });

    kantata.addUser({ email: 'ann.admin@example.com', name: 'Ann Admin', admin: true });
    const annSlack = slack.addUser({ name: 'ann', realName: 'Ann Admin', email: 'ann.admin@example.com' });
    const group = kantata.addGroup('Onboarding');
    const hires = kantata.addUsers(PEOPLE, 'hire');
    const hireIds = new Set(hires.map((h) => h.id));

    const first = await startBotProcess({ env });

    // The admin's `/groups add` answers with a preview whose Apply button carries the change id.
    const { responseUrl, body } = await askBot(first, slack, {
      userId: annSlack.id,
      text: `add Onboarding ${hires.map((h) => h.email).join(' ')}`,
    });
    const changeId = buttonValueIn(body, ACTION.changeApply);
    expect(changeId).not.toBe('');
    expect(readStore().changes[changeId]?.plan.toChange).toHaveLength(PEOPLE);

    // Kantata slows down, and the third bulk POST is applied but never answered.
    kantata.setLatency(700);
    kantata.misbehave({ method: 'POST', path: MEMBERSHIPS, nth: 3, action: 'hang_after_apply' });
    const click = await clickPreviewButton(first, slack, {
      userId: annSlack.id,
      actionId: ACTION.changeApply,
      responseUrl,
      value: changeId,
    });
    expect(click.status).toBe(200);

    // Kill once the unanswered POST has been applied and some, not all, of the people are members.
    const posts = () => kantata.requests.filter((r) => r.method === 'POST' && r.path === MEMBERSHIPS);
    const memberIds = () => new Set(kantata.memberships(group.id).map((m) => m.userId));
    let hungBatch: string[] = [];
    await vi.waitFor(
      () => {
        const hung = posts()[2];
        if (!hung) throw new Error('the third POST has not arrived yet');
        hungBatch = postedUserIds(hung.body);
        const members = memberIds();
        if (!hungBatch.every((id) => members.has(id))) throw new Error('the third POST is not applied yet');
        if (members.size < 300) throw new Error(`only ${members.size} members so far`);
      },
      { timeout: 30_000, interval: 10 },
    );
    first.kill('SIGKILL');
    expect(await first.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });

    const presentAtKill = memberIds();
    expect(presentAtKill.size).toBeGreaterThan(0);
    expect(presentAtKill.size).toBeLessThan(PEOPLE);
    expect(hungBatch).toHaveLength(100);
    // The crash window was hit: Kantata holds the hung batch, the journal does not know about it.
    const cutOff = readStore().changes[changeId];
    expect(cutOff?.status).toBe('applying');
    // The journal is appended beside the live state file, one line per batch.
    const journalFile = join(`${storeFile}.journal`, `${changeId}.jsonl`);
    const journalLines = readFileSync(journalFile, 'utf8').trim().split('\n');
    const journaled = new Set(
      journalLines.flatMap((line) => JSON.parse(line) as { user: { id: string } }[]).map((o) => o.user.id),
    );
    expect(hungBatch.some((id) => journaled.has(id))).toBe(false);
    expect(existsSync(`${storeFile}.lock`)).toBe(true);

    // A new process on the same store takes over the dead process's lock and finishes the change as it
    // starts. A deploy stops it again at once: it finishes and announces the change first, then exits cleanly.
    kantata.clearMisbehaviour();
    kantata.setLatency(400);
    kantata.resetRequests();
    const second = await startBotProcess({ env });
    second.kill('SIGTERM');
    expect(await second.waitForExit(60_000)).toEqual({ code: 0, signal: null });
    expect(second.logs().some((r) => r.msg === 'stop requested while starting: stopping once started')).toBe(
      true,
    );
    expect(existsSync(`${storeFile}.lock`)).toBe(false);
    // Finished and announced: it left the live state for the history, and its journal is gone.
    expect(readStore().changes[changeId]).toBeUndefined();
    expect(existsSync(journalFile)).toBe(false);
    const store = await openFileStore(storeFile, { log: { warn: () => undefined } });
    const finished = await store.getChange(changeId).finally(() => store.close());
    expect(finished?.status).toBe('applied');

    const memberships = kantata.memberships(group.id);
    const userIds = memberships.map((m) => m.userId);
    expect(new Set(userIds).size).toBe(userIds.length);
    expect(userIds.filter((id) => hireIds.has(id))).toHaveLength(PEOPLE);
    expect(userIds).toHaveLength(PEOPLE);

    // The restart posted only who was still missing: nobody twice, no POST refused as a duplicate.
    const repostedPresent = posts()
      .flatMap((r) => postedUserIds(r.body))
      .filter((id) => presentAtKill.has(id));
    expect(repostedPresent).toEqual([]);
    expect(posts().every((r) => r.status === 200 || r.status === 201)).toBe(true);

    // Once finished, the report holds every outcome (the journal is emptied).
    const outcomeIds = (finished?.report?.outcomes ?? []).map((o) => o.user.id);
    expect(new Set(outcomeIds).size).toBe(PEOPLE);
    expect(outcomeIds).toHaveLength(PEOPLE);
    expect(finished?.report?.outcomes.every((o) => o.outcome === 'added')).toBe(true);
    expect(finished?.outcomes ?? []).toEqual([]);

    // The person who clicked Apply sees the result in place of "Applying…", finished by the new process.
    const last = slack.responses.filter((r) => r.url === responseUrl).at(-1);
    expect(last?.status).toBe(200);
    expect(JSON.stringify(last?.body)).toContain('Applying this change was interrupted');
    expect(last?.body?.text).toMatch(/Added 1,000 people/);

    const [notification] = notificationsOf(slack, changeId);
    expect(notificationsOf(slack, changeId)).toHaveLength(1);
    expect(notification?.text).toContain('Onboarding');
    expect(notification?.text).toMatch(/1,000/);
    expect(
      second
        .logs()
        .some((r) => r.msg === 'finished a change that was interrupted' && r.changeId === changeId),
    ).toBe(true);
  });
});

/** The user ids in a bulk POST body (`{"user_group_memberships":[{user_id,workspace_group_id}…]}`). */
function postedUserIds(body: unknown): string[] {
  const list = (body as { user_group_memberships?: { user_id?: unknown }[] } | undefined)
    ?.user_group_memberships;
  return (list ?? []).map((m) => String(m.user_id));
}

/** Notification messages in NOTIFY_CHANNEL_ID that carry this change's Undo button. */
function notificationsOf(slack: FakeSlack, changeId: string) {
  return slack.messages
    .inChannel(BOT_NOTIFY_CHANNEL)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes(changeId));
}
