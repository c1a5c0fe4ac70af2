import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock as leaseLock } from 'proper-lockfile';

/**
 * The embedded store is for ONE process (SPEC §7): two writers would overwrite each other's changes.
 * `<file>.lock` is a lease (`proper-lockfile`: a directory made atomically by `mkdir`, its mtime renewed
 * every `leaseMs / 2`). Nothing about the holder's pid or host is trusted: a crashed holder (a zombie, a pid
 * reused by another program, a container recreated under another host name on the same volume) simply
 * stops renewing, and its lease is taken over once older than `leaseMs`. A live holder keeps renewing, so a
 * second process (on this host or another sharing the volume) waits one lease and is then refused.
 *
 * Two things the library leaves open are closed here, through the `fs` it is given:
 * - Taking over a stale lease is `stat` then `rmdir` in the library; two processes doing that at once could
 *   remove each other's fresh lease. Here the removal happens under a short `mkdir` mutex and re-checks the
 *   age, so only a lease that is still stale is removed.
 * - A holder that was paused past its lease (SIGSTOP, a frozen VM) must not write once it resumes: every
 *   commit calls `assertHeld()`, a synchronous check that our last renewal is younger than the lease and the
 *   lease on disk still carries our mtime. The library's own renewal notices the loss as well; both end in
 *   `onLost`, once.
 */
export type FileLock = {
  readonly lockPath: string;
  /** Throws (and reports the loss once) if this process may no longer write. */
  assertHeld(): void;
  release(): Promise<void>;
};

export type FileLockOptions = {
  /** How long a lease lives without renewal; a crashed holder is taken over after this. At least 2 s. */
  leaseMs?: number;
  /** Called once when the lease turns out to be lost; the caller must stop writing (and exit). */
  onLost?: (error: Error) => void;
  log?: { warn(msg: string): void };
};

export const DEFAULT_LEASE_MS = 10_000;
/** A takeover mutex older than this was left by a process killed inside a few synchronous calls. */
const MUTEX_STALE_MS = 30_000;
const RETRY_EVERY_MS = 250;

/** Locks taken by this process: a second open of the same file in one process is refused at once. */
const heldHere = new Set<string>();

export class LockLostError extends Error {}

export async function acquireFileLock(dataPath: string, opts: FileLockOptions = {}): Promise<FileLock> {
  const file = resolve(dataPath);
  const lockPath = `${file}.lock`;
  const leaseMs = Math.max(opts.leaseMs ?? DEFAULT_LEASE_MS, 2_000);
  if (heldHere.has(lockPath)) {
    throw new Error(`The store file ${dataPath} is already open in this process (lock ${lockPath}).`);
  }
  removeLegacyLock(lockPath, dataPath);

  let releasing = false;
  let lost = false;
  let ourMtime = 0;
  let pendingMtime = 0;
  // Monotonic: a step of the wall clock (NTP) is not a pause; time spent stopped (SIGSTOP) still counts.
  let renewedAt = performance.now();

  const markLost = (why: string): LockLostError => {
    const error = new LockLostError(
      `The lock ${lockPath} of the store file ${dataPath} was lost (${why}): another process may have taken ` +
        'the store over. This process stops writing to it.',
    );
    if (!lost) {
      lost = true;
      opts.onLost?.(error);
    }
    return error;
  };

  const guardedFs = {
    ...fs,
    rmdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void) {
      if (releasing || path !== lockPath) return fs.rmdir(path, callback);
      try {
        removeIfStillStale(lockPath, leaseMs);
        callback(null);
      } catch (error) {
        callback(error as NodeJS.ErrnoException);
      }
    },
    rmdirSync(path: string) {
      // Called by the library's exit handler: never remove a lease that another process holds by now.
      if (path === lockPath && !isOurs()) return;
      fs.rmdirSync(path);
    },
    utimes(path: string, atime: Date, mtime: Date, callback: (error: NodeJS.ErrnoException | null) => void) {
      if (path !== lockPath) return fs.utimes(path, atime, mtime, callback);
      pendingMtime = mtime.getTime();
      fs.utimes(path, atime, mtime, (error) => {
        if (!error) {
          ourMtime = mtime.getTime();
          renewedAt = performance.now();
        }
        callback(error);
      });
    },
  };

  const isOurs = (): boolean => {
    try {
      const mtime = fs.statSync(lockPath).mtime.getTime();
      return mtime === ourMtime || mtime === pendingMtime;
    } catch {
      return false;
    }
  };

  const deadline = Date.now() + leaseMs + leaseMs / 2 + 1_000;
  let waited = false;
  let releaseLease: () => Promise<void>;
  for (;;) {
    try {
      releaseLease = await leaseLock(file, {
        lockfilePath: lockPath,
        realpath: false,
        stale: leaseMs,
        update: leaseMs / 2,
        retries: 0,
        fs: guardedFs as unknown as typeof fs,
        onCompromised: (error) => markLost(error.message),
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        throw new Error(
          `The store file ${dataPath} is in use by another process (its lease ${lockPath} is being renewed). ` +
            'Stop that process first: the embedded file store serves one process only; for several replicas ' +
            'use STORE_URL=postgres://….',
        );
      }
      if (!waited) {
        waited = true;
        opts.log?.warn(
          `store: ${lockPath} is held; waiting up to ${Math.round((deadline - Date.now()) / 1000)} s for ` +
            'its lease to lapse (a crashed holder) before refusing to start',
        );
      }
      await sleep(RETRY_EVERY_MS);
    }
  }
  // Taken: the mtime on disk is ours (the library set it, or mkdir did just now).
  ourMtime = fs.statSync(lockPath).mtime.getTime();
  renewedAt = performance.now();
  heldHere.add(lockPath);
  writeOwnerNote(lockPath);

  return {
    lockPath,
    assertHeld() {
      if (lost) throw markLost('lost earlier');
      const since = performance.now() - renewedAt;
      if (since > leaseMs) throw markLost(`not renewed for ${Math.round(since)} ms`);
      if (!isOurs()) throw markLost('the lease on disk is no longer ours');
    },
    async release() {
      heldHere.delete(lockPath);
      if (lost) return;
      releasing = true;
      await releaseLease().catch(() => undefined);
    },
  };
}

/** Removes the lease only if, looked at again under a mutex, it is still older than the lease. */
function removeIfStillStale(lockPath: string, leaseMs: number): void {
  const mutex = `${lockPath}.takeover`;
  try {
    fs.mkdirSync(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(mutex) < MUTEX_STALE_MS) throw elocked(lockPath);
    fs.rmSync(mutex, { recursive: true, force: true });
    throw elocked(lockPath);
  }
  try {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (stat.mtime.getTime() >= Date.now() - leaseMs) throw elocked(lockPath);
    fs.rmSync(lockPath, { recursive: true, force: true });
  } finally {
    fs.rmdirSync(mutex);
  }
}

/**
 * Versions before the lease wrote `<file>.lock` as a file with a pid. Such a file whose process is gone is
 * removed; one whose process lives on this host is an older bot still running, which is refused.
 */
function removeLegacyLock(lockPath: string, dataPath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(lockPath);
  } catch {
    return;
  }
  if (!stat.isFile()) return;
  const text = fs.readFileSync(lockPath, 'utf8');
  let pid: number | undefined;
  let host: string | undefined;
  try {
    const parsed = /^\s*\d+\s*$/.test(text) ? { pid: Number(text) } : JSON.parse(text);
    pid = typeof parsed.pid === 'number' ? parsed.pid : undefined;
    host = typeof parsed.hostname === 'string' ? parsed.hostname : undefined;
  } catch {
    // Unreadable: nothing to check.
  }
  if (pid !== undefined && pid !== process.pid && (host === undefined || host === hostname()) && alive(pid)) {
    throw new Error(
      `The store file ${dataPath} is in use by an older version of the bot (pid ${pid}, lock ${lockPath}). ` +
        'Stop it first.',
    );
  }
  fs.rmSync(lockPath, { force: true });
}

function writeOwnerNote(lockPath: string): void {
  // For people looking at the volume; never read back to decide anything.
  try {
    fs.writeFileSync(
      `${lockPath}.owner`,
      `${JSON.stringify({ pid: process.pid, hostname: hostname(), since: new Date().toISOString() })}\n`,
    );
  } catch {
    // Informational only.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function elocked(lockPath: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${lockPath} is held`), { code: 'ELOCKED' });
}

function ageMs(path: string): number {
  try {
    return Date.now() - fs.statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
