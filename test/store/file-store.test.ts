import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import { openFileStore } from '../../src/store/lowdb/file-store.js';
import { describeStoreContract } from './store-contract.js';
import { ManualClock, makeAudit, makeChange } from './store-fixtures.js';

const quiet = { warn: () => undefined };

describeStoreContract('JSON file store', async ({ clock }) => {
  const dir = mkdtempSync(join(tmpdir(), 'file-store-contract-'));
  const path = join(dir, 'data', 'store.json');
  const opened: Store[] = [];
  const open = async () => {
    const store = await openFileStore(path, { clock, log: quiet });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('JSON file store: the file', () => {
  let dir: string;
  let path: string;
  let store: Store | undefined;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-store-'));
    path = join(dir, 'store.json');
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    if (child && child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const readJson = () => JSON.parse(readFileSync(path, 'utf8'));

  it('creates the directory, an empty live state file and its history at start', async () => {
    const nested = join(dir, 'a', 'b', 'store.json');
    store = await openFileStore(nested, { log: quiet });
    expect(JSON.parse(readFileSync(nested, 'utf8'))).toEqual({
      version: 2,
      changes: {},
      processedKeys: {},
      identityLinks: {},
      ends: {},
      standingSyncs: {},
      owners: {},
    });
    expect(existsSync(`${nested}.history`)).toBe(true);
  });

  it('writes each change to the file before answering', async () => {
    store = await openFileStore(path, { log: quiet });
    await store.createChange(makeChange({ id: 'c1' }));
    await store.transitionChange('c1', ['pending'], 'approved');
    expect(readJson().changes.c1.status).toBe('approved');
  });

  it('refuses a file that is not JSON, names it, and leaves it untouched', async () => {
    writeFileSync(path, '{"version":1,"changes":{');
    const error = await openFileStore(path, { log: quiet }).catch((e: unknown) => e);
    expect(String(error)).toContain(path);
    expect(String(error)).toContain('is not valid JSON');
    expect(String(error)).toMatch(/Restore it from a backup, or move it away/);
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"changes":{');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a JSON file that is not a store and says which field is wrong', async () => {
    const bad = JSON.stringify({
      version: 1,
      changes: { c1: { ...makeChange({ id: 'c1' }), status: 'approvedd' } },
      audit: [],
      processedKeys: {},
      identityLinks: {},
    });
    writeFileSync(path, bad);
    const error = await openFileStore(path, { log: quiet }).catch((e: unknown) => e);
    expect(String(error)).toContain(path);
    expect(String(error)).toContain('changes.c1.status');
    expect(readFileSync(path, 'utf8')).toBe(bad);
  });

  it('refuses a file that holds null, and one written by a newer version', async () => {
    writeFileSync(path, 'null');
    await expect(openFileStore(path, { log: quiet })).rejects.toThrow(/is not a valid store/);
    expect(readFileSync(path, 'utf8')).toBe('null');
    writeFileSync(path, '{"version":3}');
    await expect(openFileStore(path, { log: quiet })).rejects.toThrow(/newer version of the bot/);
  });

  it('refuses a second open of the same file in one process until the first is closed', async () => {
    store = await openFileStore(path, { log: quiet });
    await expect(openFileStore(path, { log: quiet })).rejects.toThrow(/already open in this process/);
    await store.close();
    store = await openFileStore(path, { log: quiet });
    expect(await store.ping()).toBe(true);
  });

  it('writes what was queued before close, and refuses work after it', async () => {
    const closing = await openFileStore(path, { log: quiet });
    const queued = Array.from({ length: 5 }, (_, i) => closing.appendAudit(makeAudit({ id: `a${i}` })));
    await closing.close();
    await Promise.all(queued);
    expect(existsSync(`${path}.lock`)).toBe(false);
    store = await openFileStore(path, { log: quiet });
    expect(await store.listAudit({})).toHaveLength(5);
    await expect(closing.appendAudit(makeAudit({ id: 'late' }))).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await closing.ping()).toBe(false);
  });

  it('lists the newest audit rows again without reading the history (each change redraws a Home tab)', async () => {
    store = await openFileStore(path, { log: quiet });
    for (let i = 0; i < 12; i++) await store.appendAudit(makeAudit({ id: `a${i}`, changeId: `c${i}` }));
    const first = await store.listAudit({ limit: 10 });
    expect(first.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `a${11 - i}`));
    // With the history's records gone, a read would fail: the same ten come from the rows kept as listed.
    const history = `${path}.history`;
    renameSync(history, `${history}.away`);
    try {
      const again = await store.listAudit({ limit: 10 });
      expect(again).toEqual(first);
      // Each caller gets a copy.
      (again[0] as { groupName?: string }).groupName = 'Changed by a caller';
      expect((await store.listAudit({ limit: 1 }))[0]).toEqual(first[0]);
      await expect(store.listAudit({ limit: 12 })).rejects.toThrow();
    } finally {
      renameSync(`${history}.away`, history);
    }
  });

  it('loses none of 50 concurrent writes', async () => {
    store = await openFileStore(path, { log: quiet });
    await store.createChange(makeChange({ id: 'c1', status: 'applying' }));
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => store!.appendAudit(makeAudit({ id: `a${i}` }))),
      ...Array.from({ length: 50 }, (_, i) =>
        store!.appendOutcomes('c1', [
          { user: { ...makeChange({ id: 'x' }).plan.toChange[0]!, id: `u${i}` }, outcome: 'added' },
        ]),
      ),
    ]);
    await store.close();
    store = await openFileStore(path, { log: quiet });
    expect((await store.listAudit({})).map((e) => e.id).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `a${i}`).sort(),
    );
    expect((await store.getChange('c1'))?.outcomes).toHaveLength(50);
    // The live file never holds the journal: it is appended beside it.
    expect(readJson().changes.c1.outcomes ?? []).toEqual([]);
  });

  it('answers store_unavailable when the file cannot be written, and keeps the last good state', async () => {
    store = await openFileStore(path, { log: quiet });
    await store.createChange(makeChange({ id: 'c1' }));
    // steno writes `.store.json.tmp` then renames it: a directory in its place makes the write fail.
    mkdirSync(join(dir, '.store.json.tmp'));
    await expect(store.transitionChange('c1', ['pending'], 'approved')).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect((await store.getChange('c1'))?.status).toBe('pending');
    rmSync(join(dir, '.store.json.tmp'), { recursive: true });
    expect((await store.transitionChange('c1', ['pending'], 'approved')).ok).toBe(true);
    expect(readJson().changes.c1.status).toBe('approved');
  });

  it('drops expired processed keys from the file', async () => {
    const clock = new ManualClock();
    store = await openFileStore(path, { clock, log: quiet });
    for (let i = 0; i < 5; i++) await store.claimKey(`old${i}`, 1_000);
    clock.advance(120_000);
    await store.claimKey('new', 1_000);
    // Keys are saved with the next commit or at close, without a write of their own.
    await store.close();
    expect(Object.keys(readJson().processedKeys)).toEqual(['new']);
  });
});
