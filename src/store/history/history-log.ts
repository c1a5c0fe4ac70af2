import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAcks } from '../../util/acks-first.js';
import { makeFolders } from '../../util/make-folders.js';
import type { ChangePatch } from '../change-patch.js';
import {
  type AuditPointer,
  cutBack,
  damaged,
  type IndexLine,
  indexLineFor,
  type Location,
  lineNumberAt,
  lines,
  parseIndexLine,
} from './history-files.js';
import { type HistoryRecord, parseHistoryLine } from './history-records.js';

export type { AuditPointer, Location } from './history-files.js';

/**
 * The append-only history: JSON lines in segment files (`000001.jsonl`, …) that are never rewritten, and
 * `index.jsonl`, one short line per record (where it is, and what to find it by). At start only the index
 * is read (≈100 bytes per record, not the records), plus whatever a crash left unindexed at the end of the
 * last segment. A record is read from disk, by offset, when asked for.
 *
 * Crash safety: a record is written to its segment before its index line, so a crash can only leave
 * records without index lines (indexed again at start, by scanning from the last indexed byte) or a torn
 * last line (cut with a warning). Damage anywhere else stops the start, naming the file and line.
 */
/** A segment is closed once it passes this size; one read never needs more than one record. */
const SEGMENT_MAX_BYTES = 64 * 1024 * 1024;

export class HistoryLog {
  readonly dir: string;
  readonly #log: { warn(msg: string): void };
  /** Latest record of each finished change, and its patches folded together (they are small). */
  readonly changes = new Map<string, { loc: Location; patch: ChangePatch }>();
  /** Oldest first. */
  readonly audits: AuditPointer[] = [];
  readonly #auditIds = new Set<string>();
  #segment = 1;
  #segmentSize = 0;
  #indexSize = 0;

  private constructor(dir: string, log: { warn(msg: string): void }) {
    this.dir = dir;
    this.#log = log;
  }

  /** Opens (and creates) the history in `dir`; `writable: false` reads it without repairing anything. */
  static async open(
    dir: string,
    opts: { log: { warn(msg: string): void }; writable?: boolean },
  ): Promise<HistoryLog> {
    const writable = opts.writable ?? true;
    if (writable) makeFolders(dir);
    const history = new HistoryLog(dir, opts.log);
    if (existsSync(dir)) await history.#load(writable);
    return history;
  }

  hasAudit(id: string): boolean {
    return this.#auditIds.has(id);
  }

  /** Appends records (one write per file) and indexes them. On failure both files are cut back. */
  async append(records: HistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.#segmentSize >= SEGMENT_MAX_BYTES) {
      this.#segment += 1;
      this.#segmentSize = 0;
    }
    const segmentPath = this.#segmentPath(this.#segment);
    const lines: string[] = [];
    const index: IndexLine[] = [];
    let offset = this.#segmentSize;
    for (const record of records) {
      const line = `${JSON.stringify(record)}\n`;
      const n = Buffer.byteLength(line);
      lines.push(line);
      index.push(indexLineFor(record, { s: this.#segment, o: offset, n }));
      offset += n;
    }
    const indexText = index.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    const before = { segment: this.#segmentSize, index: this.#indexSize };
    try {
      await appendFile(segmentPath, lines.join(''));
      await appendFile(this.#indexPath(), indexText);
    } catch (error) {
      cutBack(segmentPath, before.segment);
      cutBack(this.#indexPath(), before.index);
      throw error;
    }
    this.#segmentSize = offset;
    this.#indexSize += Buffer.byteLength(indexText);
    for (const entry of index) this.#remember(entry);
  }

  /** The record at `loc`, read from disk. */
  async read(loc: Location): Promise<HistoryRecord> {
    const path = this.#segmentPath(loc.s);
    const buffer = Buffer.alloc(loc.n);
    const file = await open(path, 'r');
    try {
      await file.read(buffer, 0, loc.n, loc.o);
    } finally {
      await file.close();
    }
    // Parsing and checking a record of 1,000 outcomes is milliseconds: after the acks (acks-first.ts), with
    // the file already closed.
    await afterAcks();
    const record = parseHistoryLine(buffer.toString('utf8'));
    if (!record) throw new Error(`The history file ${path} holds no valid record at byte ${loc.o}`);
    return record;
  }

  where(loc: Location): string {
    return `history record at byte ${loc.o} of ${this.#segmentPath(loc.s)}`;
  }

  /** Every record, oldest first, streamed segment by segment. */
  async *records(): AsyncIterable<{ record: HistoryRecord; loc: Location }> {
    for (const s of this.#segmentNumbers()) {
      let offset = 0;
      for await (const line of lines(this.#segmentPath(s))) {
        const loc = { s, o: offset, n: Buffer.byteLength(line) + 1 };
        offset += loc.n;
        const record = parseHistoryLine(line);
        if (record) yield { record, loc };
      }
    }
  }

  #segmentPath(s: number): string {
    return join(this.dir, `${String(s).padStart(6, '0')}.jsonl`);
  }

  #indexPath(): string {
    return join(this.dir, 'index.jsonl');
  }

  #segmentNumbers(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => /^\d{6}\.jsonl$/.test(name))
      .map((name) => Number(name.slice(0, 6)))
      .sort((a, b) => a - b);
  }

  #remember(entry: IndexLine): void {
    const loc = { s: entry.s, o: entry.o, n: entry.n };
    if (entry.k === 'c') {
      this.changes.set(entry.id, { loc, patch: {} });
    } else if (entry.k === 'p') {
      const known = this.changes.get(entry.id);
      if (known) known.patch = { ...known.patch, ...entry.patch };
    } else if (!this.#auditIds.has(entry.id)) {
      // Replaying a record twice (a crash between the two appends) adds nothing.
      this.#auditIds.add(entry.id);
      const about = entry.c === undefined ? {} : { changeId: entry.c, groupId: entry.g ?? '' };
      this.audits.push({ id: entry.id, ...about, at: entry.t, loc });
    }
  }

  async #load(writable: boolean): Promise<void> {
    const indexed = new Map<number, number>();
    const indexPath = this.#indexPath();
    if (existsSync(indexPath)) {
      // Small (one short line per record): read at once.
      const parts = readFileSync(indexPath, 'utf8').split('\n');
      const tail = parts.pop() ?? '';
      let offset = 0;
      let torn = tail !== '';
      for (let i = 0; i < parts.length; i++) {
        const entry = parseIndexLine(parts[i]!);
        if (!entry) {
          if (i !== parts.length - 1 || tail !== '') throw damaged(indexPath, i + 1);
          torn = true;
          break;
        }
        offset += Buffer.byteLength(parts[i]!) + 1;
        this.#remember(entry);
        indexed.set(entry.s, Math.max(indexed.get(entry.s) ?? 0, entry.o + entry.n));
      }
      if (torn) {
        this.#log.warn(`store: the last line of ${indexPath} was torn (a crash while writing); it is cut`);
        if (writable) truncateSync(indexPath, offset);
      }
      this.#indexSize = offset;
    }
    const segments = this.#segmentNumbers();
    for (const s of segments) {
      const path = this.#segmentPath(s);
      const size = statSync(path).size;
      const from = indexed.get(s) ?? 0;
      if (from > size) throw new Error(`The history index ${indexPath} points past the end of ${path}.`);
      if (from < size) await this.#indexTail(s, from, s === segments.at(-1), writable);
    }
    this.#segment = segments.at(-1) ?? 1;
    this.#segmentSize = segments.length > 0 ? statSync(this.#segmentPath(this.#segment)).size : 0;
  }

  /** Indexes the records after `from` that a crash left unindexed; cuts a torn last line. */
  async #indexTail(s: number, from: number, last: boolean, writable: boolean): Promise<void> {
    const path = this.#segmentPath(s);
    const fd = openSync(path, 'r');
    let text: string;
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(size - from);
      readSync(fd, buffer, 0, buffer.length, from);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
    const parts = text.split('\n');
    const tail = parts.pop() ?? '';
    let offset = from;
    const found: IndexLine[] = [];
    for (let i = 0; i < parts.length; i++) {
      const line = parts[i]!;
      const record = parseHistoryLine(line);
      const n = Buffer.byteLength(line) + 1;
      if (!record) {
        const isLast = i === parts.length - 1 && tail === '';
        if (!(isLast && last)) throw damaged(path, lineNumberAt(path, offset));
        this.#cut(path, offset, writable);
        break;
      }
      found.push(indexLineFor(record, { s, o: offset, n }));
      offset += n;
    }
    if (tail !== '') {
      if (!last) throw damaged(path, lineNumberAt(path, offset));
      this.#cut(path, offset, writable);
    }
    if (found.length === 0) return;
    for (const entry of found) this.#remember(entry);
    if (writable) {
      const text = found.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      await appendFile(this.#indexPath(), text);
      this.#indexSize += Buffer.byteLength(text);
    }
  }

  #cut(path: string, offset: number, writable: boolean): void {
    this.#log.warn(
      `store: the last line of ${path} was torn (a crash while writing); it is cut at byte ${offset}`,
    );
    if (writable) truncateSync(path, offset);
  }
}
