import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeFolders } from '../../../src/util/make-folders.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('makes every missing folder, parent first, and leaves existing ones alone', () => {
  dir = mkdtempSync(join(tmpdir(), 'folders-'));
  makeFolders(join(dir, 'a', 'b', 'c'));
  expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
  makeFolders(join(dir, 'a', 'b'));
  makeFolders(dir);
});

it('says which folder the file system refuses, where Node 20 recursive mkdir never returns', () => {
  // /proc answers ENOENT to any new folder although /proc exists: `mkdirSync(…, { recursive: true })` loops.
  expect(() => makeFolders('/proc/no-such-folder/store')).toThrow(
    'The folder /proc/no-such-folder cannot be made (ENOENT): check STORE_URL.',
  );
});
