import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import type { Lease } from '../../src/approvals/types.js';
import { type ManualClock, makeChange } from './store-fixtures.js';

const LEASE_MS = 30_000;

/**
 * Issue 15: ownership of a running change and where it was posted, the same in every store backend.
 * Called inside `describeStoreContract`, which opens a fresh store (and clock) for each test.
 */
export function describeLeaseContract(current: () => { store: Store; clock: ManualClock }) {
  const leaseOf = (owner: string): Lease => {
    const { clock } = current();
    const now = clock.now().getTime();
    return {
      owner,
      until: new Date(now + LEASE_MS).toISOString(),
      renewedAt: new Date(now).toISOString(),
    };
  };
  const claim = (owner: string, id = 'c1') =>
    current().store.claimChange(id, {
      lease: leaseOf(owner),
      now: current().clock.now().toISOString(),
      statuses: ['approved', 'applying'],
    });

  describe('leases of running changes', () => {
    it('a live lease is not taken over; an expired one is, and only then', async () => {
      const { store, clock } = current();
      await store.createChange(makeChange({ id: 'c1', status: 'applying', lease: leaseOf('p1') }));
      expect(await claim('p2')).toBeNull();
      expect(await claim('p1')).toBeNull();
      clock.advance(LEASE_MS - 1);
      expect(await claim('p2')).toBeNull();
      clock.advance(1);
      expect((await claim('p2'))?.lease?.owner).toBe('p2');
      expect((await store.getChange('c1'))?.lease?.owner).toBe('p2');
    });

    it('the owner renews its lease; nobody else can, and a renewed lease is not taken over', async () => {
      const { store, clock } = current();
      await store.createChange(makeChange({ id: 'c1', status: 'applying', lease: leaseOf('p1') }));
      clock.advance(LEASE_MS - 1_000);
      expect(await store.renewLease('c1', leaseOf('p1'))).toBe(true);
      expect(await store.renewLease('c1', leaseOf('p2'))).toBe(false);
      clock.advance(2_000);
      expect(await claim('p2')).toBeNull();
      expect((await store.getChange('c1'))?.lease?.owner).toBe('p1');
    });

    it('of 20 simultaneous takeovers of an expired lease exactly one wins', async () => {
      const { store, clock } = current();
      await store.createChange(makeChange({ id: 'c1', status: 'applying', lease: leaseOf('dead') }));
      clock.advance(LEASE_MS + 1);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(`p${i}`)));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect((await store.getChange('c1'))?.lease?.owner).toBe(winners[0]?.lease?.owner);
    });

    it('claims only changes in the given statuses, and a change with no lease at once', async () => {
      const { store } = current();
      await store.createChange(makeChange({ id: 'c1', status: 'applied' }));
      await store.createChange(makeChange({ id: 'c2', status: 'approved' }));
      expect(await claim('p1', 'c1')).toBeNull();
      expect(await claim('p1', 'nope')).toBeNull();
      expect((await claim('p1', 'c2'))?.lease?.owner).toBe('p1');
      expect(await store.renewLease('c1', leaseOf('p1'))).toBe(false);
    });
  });

  describe('locations', () => {
    it('merges keys atomically: 20 simultaneous writers of different keys lose none', async () => {
      const { store } = current();
      await store.createChange(makeChange({ id: 'c1', locations: { approvalTs: '1.1' } }));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.mergeLocations('c1', { [`k${i}`]: String(i) })),
      );
      const locations = (await store.getChange('c1'))?.locations ?? {};
      expect(Object.keys(locations).sort()).toEqual(
        ['approvalTs', ...Array.from({ length: 20 }, (_, i) => `k${i}`)].sort(),
      );
    });

    it('writes the other fields of the patch in the same operation', async () => {
      const { store } = current();
      await store.createChange(makeChange({ id: 'c1', status: 'applied' }));
      const merged = await store.mergeLocations(
        'c1',
        { notifyTs: '2.2' },
        { notification: { status: 'posted', attempts: 1 } },
      );
      expect(merged).toMatchObject({ locations: { notifyTs: '2.2' }, notification: { status: 'posted' } });
      expect(await store.mergeLocations('nope', { a: 'b' })).toBeNull();
    });
  });
}
