import { once } from 'node:events';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ChangePatch } from '../change-patch.js';
import type { HistoryRecord } from './history-records.js';

/** The line-level parts of the history files: index lines, reading lines, damage messages. */

export type Location = { s: number; o: number; n: number };
export type IndexLine =
  | ({ k: 'c'; id: string } & Location)
  | ({ k: 'p'; id: string; patch: ChangePatch } & Location)
  | ({ k: 'a'; id: string; c?: string; g?: string; t: string } & Location);

/** Where an audit row is; `changeId` and `groupId` are absent for a row about no change (a link). */
export type AuditPointer = { id: string; changeId?: string; groupId?: string; at: string; loc: Location };

export function indexLineFor(record: HistoryRecord, loc: Location): IndexLine {
  if (record.k === 'change') return { k: 'c', id: record.change.id, ...loc };
  if (record.k === 'patch') return { k: 'p', id: record.id, patch: record.patch, ...loc };
  const { audit } = record;
  const about = 'changeId' in audit ? { c: audit.changeId, g: audit.groupId } : {};
  return { k: 'a', id: audit.id, ...about, t: audit.at, ...loc };
}

export function parseIndexLine(line: string): IndexLine | null {
  try {
    const value = JSON.parse(line) as Partial<IndexLine>;
    const ok =
      typeof value === 'object' &&
      value !== null &&
      (value.k === 'c' || value.k === 'p' || value.k === 'a') &&
      typeof value.id === 'string' &&
      Number.isInteger(value.s) &&
      Number.isInteger(value.o) &&
      Number.isInteger(value.n);
    return ok ? (value as IndexLine) : null;
  } catch {
    return null;
  }
}

export async function* lines(path: string): AsyncIterable<string> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) yield line;
  } finally {
    reader.close();
    stream.destroy();
    if (!stream.closed) await once(stream, 'close').catch(() => undefined);
  }
}

export function lineNumberAt(path: string, offset: number): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(offset);
    readSync(fd, buffer, 0, offset, 0);
    let count = 1;
    for (const byte of buffer) if (byte === 10) count += 1;
    return count;
  } finally {
    closeSync(fd);
  }
}

export function damaged(path: string, line: number): Error {
  return new Error(
    `The history file ${path} is damaged at line ${line} (not the last line, so not a torn write). ` +
      'It was left untouched: restore it from a backup, or move the line away, then start again.',
  );
}

export function cutBack(path: string, size: number): void {
  try {
    if (existsSync(path) && statSync(path).size > size) truncateSync(path, size);
  } catch {
    // The next start cuts a torn line anyway.
  }
}
