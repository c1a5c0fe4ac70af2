import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PersonOutcome } from '../../membership/types.js';
import { makeFolders } from '../../util/make-folders.js';
import { personOutcomeSchema } from '../schemas.js';

/**
 * The apply journal of the embedded store: one file per running change, one line per batch of outcomes,
 * appended (never rewritten), so recording a batch costs that batch. The live state file does not hold
 * the outcomes; they are read back from here at start. When the change is finished its report holds them
 * and the file is removed.
 */
export class ApplyJournal {
  readonly #dir: string;
  readonly #log: { warn(msg: string): void };

  constructor(dir: string, log: { warn(msg: string): void }) {
    this.#dir = dir;
    this.#log = log;
    makeFolders(dir);
  }

  #path(changeId: string): string {
    // Change ids are base64url; anything else is encoded so that it stays one file name.
    return join(this.#dir, `${encodeURIComponent(changeId)}.jsonl`);
  }

  size(changeId: string): number {
    const path = this.#path(changeId);
    return existsSync(path) ? statSync(path).size : 0;
  }

  async append(changeId: string, outcomes: PersonOutcome[]): Promise<void> {
    await appendFile(this.#path(changeId), `${JSON.stringify(outcomes)}\n`);
  }

  /** Undoes appends that failed half-way (a full disk): back to `size` bytes. */
  cutBack(changeId: string, size: number): void {
    const path = this.#path(changeId);
    try {
      if (existsSync(path) && statSync(path).size > size) truncateSync(path, size);
    } catch {
      // The next start cuts a torn last line anyway.
    }
  }

  remove(changeId: string): void {
    rmSync(this.#path(changeId), { force: true });
  }

  /** Outcomes recorded for a change; a torn last line is cut with a warning, other damage stops. */
  read(changeId: string): PersonOutcome[] {
    const path = this.#path(changeId);
    if (!existsSync(path)) return [];
    const parts = readFileSync(path, 'utf8').split('\n');
    const tail = parts.pop() ?? '';
    const outcomes: PersonOutcome[] = [];
    let offset = 0;
    for (let i = 0; i < parts.length; i++) {
      const batch = parseBatch(parts[i]!);
      if (!batch) {
        if (i === parts.length - 1 && tail === '') return this.#cut(path, offset, outcomes);
        throw new Error(
          `The apply journal ${path} is damaged at line ${i + 1}. It was left untouched: restore it from a ` +
            'backup, or remove the line, then start again.',
        );
      }
      outcomes.push(...batch);
      offset += Buffer.byteLength(parts[i]!) + 1;
    }
    return tail === '' ? outcomes : this.#cut(path, offset, outcomes);
  }

  /** Journal files of changes that are no longer running (a crash after finishing, before removing). */
  removeAllBut(running: Set<string>): void {
    for (const name of readdirSync(this.#dir)) {
      if (!name.endsWith('.jsonl')) continue;
      const id = decodeURIComponent(name.slice(0, -'.jsonl'.length));
      if (!running.has(id)) rmSync(join(this.#dir, name), { force: true });
    }
  }

  #cut(path: string, offset: number, outcomes: PersonOutcome[]): PersonOutcome[] {
    this.#log.warn(`store: the last line of ${path} was torn (a crash while writing); it is cut`);
    truncateSync(path, offset);
    return outcomes;
  }
}

const batchSchema = z.array(personOutcomeSchema);

function parseBatch(line: string): PersonOutcome[] | null {
  try {
    const parsed = batchSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
