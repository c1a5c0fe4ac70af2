import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import { openFileStore } from '../../src/store/lowdb/file-store.js';
import { ManualClock, makeChange } from './store-fixtures.js';

const quiet = { warn: () => undefined };

// The embedded store's restart path (issue 15 item 1): one process holds the file at a time, so a lease
// renewed before this store was opened belonged to a process that is gone, and is taken over at once.
describe('JSON file store: leases across a restart', () => {
  let dir: string;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a live-looking lease of the process that held the file before', async () => {
    dir = mkdtempSync(join(tmpdir(), 'file-store-lease-'));
    const path = join(dir, 'store.json');
    const clock = new ManualClock();
    const first = await openFileStore(path, { clock, log: quiet });
    const now = clock.now().getTime();
    const lease = (owner: string, at = clock.now().getTime()) => ({
      owner,
      until: new Date(at + 30_000).toISOString(),
      renewedAt: new Date(at).toISOString(),
    });
    await first.createChange(makeChange({ id: 'c1', status: 'applying', lease: lease('before', now) }));
    const claim = (s: Store, owner: string) =>
      s.claimChange('c1', { lease: lease(owner), now: clock.now().toISOString(), statuses: ['applying'] });
    expect(await claim(first, 'other')).toBeNull();
    await first.close();

    clock.advance(1_000);
    store = await openFileStore(path, { clock, log: quiet });
    expect((await claim(store, 'after'))?.lease?.owner).toBe('after');
    // The new owner's own lease is live again: nobody else takes it.
    expect(await claim(store, 'someone-else')).toBeNull();
  });
});
