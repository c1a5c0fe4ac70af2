/**
 * Crash safety of the embedded store's two parts (issue 9, item 2): a process killed at each write point of
 * a finishing change, then a restart: history and live state agree, nothing is lost or doubled. And the
 * history's own damage rules: a torn last line is cut with a warning, damage elsewhere stops the start.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isChangeAudit } from '../../src/approvals/types.js';
import { openFileStore, type WritePoint } from '../../src/store/lowdb/file-store.js';
import { makeAudit, makeChange, reportOf } from './store-fixtures.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/finish-and-crash.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let dir: string;
let file: string;
const warnings: string[] = [];
const log = { warn: (msg: string) => warnings.push(msg) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
  file = join(dir, 'store.json');
  warnings.length = 0;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every occurrence of `text` in all the files of the store (live state, history, journals). */
function occurrences(text: string): number {
  let count = 0;
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.includes('backup')) count += readFileSync(full, 'utf8').split(text).length - 1;
    }
  };
  walk(dir);
  return count;
}

describe('a process killed at each write point of a finishing change', { timeout: 60_000 }, () => {
  it.each<WritePoint>(['journal-appended', 'history-appended', 'live-written', 'journal-removed'])(
    'killed after %s: the restart sees one consistent change, nothing lost or doubled',
    async (point) => {
      const child = spawn(process.execPath, ['--import', TSX_LOADER, SCRIPT, file, point], { stdio: 'pipe' });
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
      });
      child.stderr.resume();
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect({ code, signal, out }).toEqual({ code: null, signal: 'SIGKILL', out: '' });

      for (let restart = 0; restart < 2; restart++) {
        const store = await openFileStore(file, { log, leaseMs: 2_000 });
        try {
          const change = await store.getChange('c1');
          const audit = await store.listAudit({});
          if (point === 'journal-appended') {
            // Killed before the final commit: still running, every recorded batch there, once.
            expect(change?.status).toBe('applying');
            expect(change?.outcomes?.map((o) => o.user.id)).toEqual(['1', '2', '3', '4', '5', '6']);
            expect(audit).toEqual([]);
          } else {
            // The history was written: the change is finished, its live copy and journal are gone.
            expect(change?.status).toBe('applied');
            expect(change?.report?.outcomes.map((o) => o.user.id)).toEqual(['1', '2', '3', '4', '5', '6']);
            expect(change?.outcomes ?? []).toEqual([]);
            expect(await store.listChanges({ statuses: ['applying', 'applied'] })).toEqual([]);
            expect(audit.map((e) => e.id)).toEqual(['a1']);
            expect(audit[0] && isChangeAudit(audit[0]) ? audit[0].outcomes : []).toHaveLength(6);
            expect(existsSync(join(`${file}.journal`, 'c1.jsonl'))).toBe(false);
            expect(JSON.parse(readFileSync(file, 'utf8')).changes).toEqual({});
            // Each person's outcome is on disk once: in the report (plan and audit refer to it).
            expect(occurrences('user5@example.com')).toBe(1);
          }
        } finally {
          await store.close();
        }
      }
    },
  );
});

describe('the history file after a crash or damage', () => {
  const segment = () => join(`${file}.history`, '000001.jsonl');
  const index = () => join(`${file}.history`, 'index.jsonl');

  async function writeSome(): Promise<void> {
    const store = await openFileStore(file, { log });
    for (const id of ['c1', 'c2', 'c3']) {
      await store.createChange(makeChange({ id, status: 'applying' }));
      await store.transitionChange(id, ['applying'], 'applied', { report: reportOf(['1', '2']) });
      await store.appendAudit(makeAudit({ id: `a-${id}`, changeId: id }));
    }
    await store.close();
  }

  it('cuts a torn last line with a warning and keeps everything before it', async () => {
    await writeSome();
    const before = readFileSync(segment(), 'utf8');
    appendFileSync(segment(), '{"k":"change","change":{"id":"c4","sta');
    const store = await openFileStore(file, { log });
    try {
      expect(warnings.some((w) => w.includes('was torn') && w.includes(segment()))).toBe(true);
      expect(readFileSync(segment(), 'utf8')).toBe(before);
      expect((await store.listAudit({})).map((e) => e.id)).toEqual(['a-c3', 'a-c2', 'a-c1']);
      expect((await store.getChange('c3'))?.status).toBe('applied');
      expect(await store.getChange('c4')).toBeNull();
      // And the history goes on after the cut.
      await store.appendAudit(makeAudit({ id: 'a-late' }));
    } finally {
      await store.close();
    }
    const again = await openFileStore(file, { log });
    expect((await again.listAudit({ limit: 1 })).map((e) => e.id)).toEqual(['a-late']);
    await again.close();
  });

  it('indexes again records a crash left unindexed, once each', async () => {
    await writeSome();
    const lines = readFileSync(index(), 'utf8').trim().split('\n');
    writeFileSync(index(), `${lines.slice(0, 2).join('\n')}\n`);
    const store = await openFileStore(file, { log });
    try {
      expect((await store.listAudit({})).map((e) => e.id)).toEqual(['a-c3', 'a-c2', 'a-c1']);
      expect((await store.getChange('c2'))?.status).toBe('applied');
    } finally {
      await store.close();
    }
    expect(readFileSync(index(), 'utf8').trim().split('\n')).toHaveLength(lines.length);
  });

  it('refuses to start on a damaged line that is not the last, naming the file and line, touching nothing', async () => {
    await writeSome();
    // Unindex the tail, then damage its first line (the record lines after it are whole).
    const indexLines = readFileSync(index(), 'utf8').trim().split('\n');
    writeFileSync(index(), `${indexLines[0]}\n`);
    const segmentLines = readFileSync(segment(), 'utf8').split('\n');
    segmentLines[1] = '{"k":"change","change":{"id":"c1"  damaged';
    writeFileSync(segment(), segmentLines.join('\n'));
    const before = readFileSync(segment(), 'utf8');
    await expect(openFileStore(file, { log })).rejects.toThrow(
      new RegExp(`history file ${segment().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged at line 2`),
    );
    expect(readFileSync(segment(), 'utf8')).toBe(before);
    // The refused start let go of the lock: fixing the file is enough.
    truncateSync(segment(), 0);
    writeFileSync(index(), '');
    const store = await openFileStore(file, { log });
    await store.close();
  });
});
