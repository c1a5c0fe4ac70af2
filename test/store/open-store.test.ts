import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, parseStoreUrl } from '../../src/store/open-store.js';

const quiet = { warn: () => undefined };

describe('openStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the JSON file store for a file: URL relative to the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'open-store-'));
    dirs.push(cwd);
    const store = await openStore('file:./data/store.json', { cwd, log: quiet });
    try {
      expect(await store.ping()).toBe(true);
      expect(existsSync(join(cwd, 'data', 'store.json'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reads absolute file paths and PostgreSQL URLs of both spellings', () => {
    expect(parseStoreUrl('file:///var/lib/bot/store.json')).toEqual({
      kind: 'file',
      path: '/var/lib/bot/store.json',
    });
    expect(parseStoreUrl('file:/srv/store.json', '/elsewhere')).toEqual({
      kind: 'file',
      path: '/srv/store.json',
    });
    expect(parseStoreUrl('postgresql://u:p@db:5432/bot').kind).toBe('postgres');
    expect(parseStoreUrl('postgres://db/bot').kind).toBe('postgres');
  });

  it('refuses other schemes with a message that shows no password', async () => {
    const error = await openStore('mysql://bot:hunter2@db/bot', { log: quiet }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(String(error)).toContain('file:./data/store.json');
    expect(String(error)).toContain('mysql://bot:***@db/bot');
    expect(String(error)).not.toContain('hunter2');
    await expect(openStore('file:', { log: quiet })).rejects.toThrow(/names no file/);
    await expect(openStore('store.json', { log: quiet })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('says where PostgreSQL could not be reached, without the password', async () => {
    const error = await openStore('postgres://bot:s3cr%40t@127.0.0.1:1/bot', { log: quiet }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'store_unavailable' });
    expect(String(error)).toContain('postgres://bot:***@127.0.0.1:1/bot');
    expect(String(error)).not.toMatch(/s3cr/);
  });
});
