import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The JSON file store is for ONE process (SPEC §7): two processes writing the same file would silently
 * overwrite each other's changes. `<file>.lock` holds the owner's pid and host; a lock whose process is gone
 * (crash, kill -9) is stale and taken over, so a restart never needs a human.
 */
export type FileLock = { readonly lockPath: string; release(): void };

const lockContentSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string().optional(),
  token: z.string().optional(),
});
type LockContent = z.infer<typeof lockContentSchema> & { raw: string };

/** Locks taken by this process: a second open of the same file in one process is refused too. */
const heldHere = new Set<string>();

/** A lock file without readable content younger than this may be one being written right now. */
const FRESH_UNREADABLE_MS = 5_000;

export function acquireFileLock(dataPath: string): FileLock {
  const lockPath = `${resolve(dataPath)}.lock`;
  if (heldHere.has(lockPath)) {
    throw new Error(`The store file ${dataPath} is already open in this process (lock ${lockPath}).`);
  }
  const content = {
    pid: process.pid,
    hostname: hostname(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  };
  const mine: LockContent = { ...content, raw: `${JSON.stringify(content)}\n` };
  // A few rounds: each round either creates the lock or removes one stale lock; losing a race retries.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockPath, mine)) {
      heldHere.add(lockPath);
      return { lockPath, release: () => release(lockPath, mine) };
    }
    const found = readLock(lockPath);
    if (found === 'missing') continue;
    if (found === 'unreadable') {
      if (ageMs(lockPath) < FRESH_UNREADABLE_MS) {
        throw new Error(
          `The store file ${dataPath} is being opened by another process (lock ${lockPath} was just created). ` +
            'Run only one bot process per store file, or use STORE_URL=postgres://… for several replicas.',
        );
      }
      removeIfUnchanged(lockPath, found);
      continue;
    }
    if (isHeldByLiveProcess(found)) {
      const where =
        found.hostname === undefined || found.hostname === mine.hostname ? '' : ` on host ${found.hostname}`;
      throw new Error(
        `The store file ${dataPath} is in use by another process (pid ${found.pid}${where}, lock ${lockPath}). ` +
          'Stop that process first: the JSON file store serves one process only; for several replicas use ' +
          `STORE_URL=postgres://…. If no such process runs any more, delete ${lockPath}.`,
      );
    }
    removeIfUnchanged(lockPath, found);
  }
  throw new Error(
    `Could not take the lock ${lockPath} for the store file ${dataPath}: other processes keep racing for it.`,
  );
}

function tryCreate(lockPath: string, content: LockContent): boolean {
  let fd: number;
  try {
    // 'wx' fails if the file exists: creation is the atomic test-and-set.
    fd = openSync(lockPath, 'wx', 0o644);
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    writeSync(fd, content.raw);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(lockPath: string): LockContent | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'missing';
    throw error;
  }
  // A bare pid is accepted too, as written by hand or by other tools.
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text.trim()), raw: text };
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(text));
    return parsed.success ? { ...parsed.data, raw: text } : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function isHeldByLiveProcess(lock: LockContent): boolean {
  // Another host's pid cannot be checked from here: assume it is alive rather than risk two writers.
  if (lock.hostname !== undefined && lock.hostname !== hostname()) return true;
  // Our own pid but not in `heldHere`: a previous life of this container (pid 1 again) left it behind.
  if (lock.pid === process.pid) return false;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return !isErrno(error, 'ESRCH');
  }
}

/**
 * Removes a stale lock, but only the one we judged: between our read and now another process may have
 * taken it over and written a fresh lock. Renaming first makes the removal atomic; if what we moved
 * turns out not to be the stale lock, it is put back.
 */
function removeIfUnchanged(lockPath: string, judged: LockContent | 'unreadable'): void {
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }
  const moved = readLock(aside);
  const same =
    judged === 'unreadable' ? moved === 'unreadable' : typeof moved === 'object' && moved.raw === judged.raw;
  if (!same) {
    // Not the lock we judged stale: put it back (link fails if yet another lock appeared; that one stays).
    try {
      linkSync(aside, lockPath);
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
    }
  }
  unlinkSync(aside);
}

function release(lockPath: string, mine: LockContent): void {
  heldHere.delete(lockPath);
  const found = readLock(lockPath);
  if (typeof found === 'object' && found.raw === mine.raw) {
    try {
      unlinkSync(lockPath);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
