import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's own `mkdirSync(dir, { recursive: true })` never returns on a
 * path whose parent exists but which the file system refuses with ENOENT (anything under /proc, some FUSE
 * mounts): it retries the same mkdir forever at full CPU, and the process cannot even be stopped with
 * SIGTERM. Here every missing folder is made once, parent first, and a refusal is an error naming it.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new Error(`The folder ${folder} cannot be made (${code ?? String(error)}): check STORE_URL.`, {
        cause: error,
      });
    }
  }
}
