import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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

  it('creates the directory and an empty store file at start', async () => {
    const nested = join(dir, 'a', 'b', 'store.json');
    store = await openFileStore(nested, { log: quiet });
    expect(JSON.parse(readFileSync(nested, 'utf8'))).toEqual({
      version: 1,
      changes: {},
      audit: [],
      processedKeys: {},
      identityLinks: {},
    });
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
    writeFileSync(path, '{"version":2}');
    await expect(openFileStore(path, { log: quiet })).rejects.toThrow(/newer version of the bot/);
  });

  it('refuses to start while another live process holds the lock', async () => {
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const lock = JSON.stringify({ pid: child.pid, hostname: hostname() });
    writeFileSync(`${path}.lock`, lock);
    const error = await openFileStore(path, { log: quiet }).catch((e: unknown) => e);
    expect(String(error)).toContain(`is in use by another process (pid ${child.pid}`);
    expect(String(error)).toContain(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lock);
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock left by a process that is gone, and releases it on close', async () => {
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(dead, 'exit');
    writeFileSync(`${path}.lock`, `${dead.pid}\n`);
    store = await openFileStore(path, { log: quiet });
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });
    await store.createChange(makeChange({ id: 'c1' }));
    await store.close();
    store = undefined;
    expect(existsSync(`${path}.lock`)).toBe(false);
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
    expect(readJson().audit).toHaveLength(5);
    expect(existsSync(`${path}.lock`)).toBe(false);
    await expect(closing.appendAudit(makeAudit({ id: 'late' }))).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await closing.ping()).toBe(false);
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
    const file = readJson();
    expect(file.audit.map((e: { id: string }) => e.id).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `a${i}`).sort(),
    );
    expect(file.changes.c1.outcomes).toHaveLength(50);
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
