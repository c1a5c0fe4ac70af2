import { describe, expect, it } from 'vitest';
import type { MembershipEnd } from '../../src/approvals/expiry/types.js';
import type { Store } from '../../src/approvals/ports.js';
import { type ManualClock, makeChange, user } from './store-fixtures.js';

const HOUR = 3_600_000;

/**
 * Issue 12: the recorded ends of temporary memberships, the same in every store backend. Called inside
 * `describeStoreContract`, which opens a fresh store (and clock) for each test.
 */
export function describeEndsContract(
  current: () => { store: Store; clock: ManualClock; reopen(): Promise<Store> },
) {
  const at = (hoursFromNow: number) =>
    new Date(current().clock.now().getTime() + hoursFromNow * HOUR).toISOString();
  const endOf = (userId: string, hours: number, extra: Partial<MembershipEnd> = {}): MembershipEnd => ({
    groupId: 'g1',
    userId,
    groupName: 'Engineering',
    user: user(userId),
    endsAt: at(hours),
    setBy: 'add1',
    addedAt: at(0),
    addedBy: { slackUserId: 'U_REQ', name: 'Requester' },
    ...extra,
  });
  /** Records ends the way the bot does: with the final transition of the change that set them. */
  const record = async (ends: MembershipEnd[], id = 'add1') => {
    const { store } = current();
    await store.createChange(makeChange({ id, status: 'applying' }));
    const result = await store.transitionChange(
      id,
      ['applying'],
      'applied',
      {},
      { ends: { set: ends, drop: [], release: [] } },
    );
    expect(result.ok).toBe(true);
  };
  const now = () => current().clock.now().toISOString();
  const claimFor = (changeId: string, owner = 'p1') => ({ changeId, owner, until: at(0.1) });

  describe('ends of temporary memberships', () => {
    it('are written with the transition that sets them, and not when the transition is refused', async () => {
      const { store } = current();
      await record([endOf('1', 48), endOf('2', 24)]);
      expect((await store.listEnds({})).map((e) => e.userId)).toEqual(['2', '1']);
      await store.createChange(makeChange({ id: 'late', status: 'pending' }));
      const refused = await store.transitionChange(
        'late',
        ['applying'],
        'applied',
        {},
        {
          ends: { set: [endOf('3', 1)], drop: [{ groupId: 'g1', userId: '1' }], release: [] },
        },
      );
      expect(refused.ok).toBe(false);
      expect((await store.listEnds({})).map((e) => e.userId)).toEqual(['2', '1']);
      expect(await store.countEnds({ groupId: 'g1' })).toBe(2);
      expect(await store.countEnds({ groupId: 'g2' })).toBe(0);
      expect((await store.getEnds('g1', ['1', '9'])).map((e) => e.endsAt)).toEqual([at(48)]);
    });

    it('page soonest first and survive a reopen', async () => {
      await record([endOf('1', 3), endOf('2', 1), endOf('3', 2)]);
      const page = await current().store.listEnds({ offset: 1, limit: 1 });
      expect(page.map((e) => e.userId)).toEqual(['3']);
      const reopened = await current().reopen();
      expect((await reopened.listEnds({})).map((e) => e.userId)).toEqual(['2', '3', '1']);
    });

    it('a due end is claimed by exactly one of several claimers; a lapsed claim is free again', async () => {
      const { store, clock } = current();
      await record([endOf('1', 1), endOf('2', 5)]);
      expect(await store.listDueEnds({ now: now(), limit: 10 })).toEqual([]);
      clock.advance(2 * HOUR);
      const due = await store.listDueEnds({ now: now(), limit: 10 });
      expect(due.map((e) => e.userId)).toEqual(['1']);
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id) => store.claimEnds(due, claimFor(id, `owner-${id}`), now())),
      );
      expect(claims.filter((c) => c.length === 1)).toHaveLength(1);
      expect(claims.flat()).toHaveLength(1);
      expect(await store.listDueEnds({ now: now(), limit: 10 })).toEqual([]);
      // An end not yet due cannot be claimed, whatever the caller asks.
      expect(await store.claimEnds([{ groupId: 'g1', userId: '2' }], claimFor('x'), now())).toEqual([]);
      clock.advance(HOUR);
      expect((await store.listDueEnds({ now: now(), limit: 10 })).map((e) => e.userId)).toEqual(['1']);
    });

    it('a finishing removal drops only the ends it holds and releases those that failed', async () => {
      const { store, clock } = current();
      await record([endOf('1', 1), endOf('2', 1), endOf('3', 1)]);
      clock.advance(2 * HOUR);
      const claimed = await store.claimEnds(
        await store.listDueEnds({ now: now(), limit: 10 }),
        claimFor('rm1'),
        now(),
      );
      expect(claimed).toHaveLength(3);
      await store.createChange(makeChange({ id: 'rm1', status: 'applying', action: 'remove' }));
      await store.transitionChange(
        'rm1',
        ['applying'],
        'partially_applied',
        {},
        {
          ends: {
            set: [],
            drop: [
              { groupId: 'g1', userId: '1', claimedBy: 'rm1' },
              { groupId: 'g1', userId: '3', claimedBy: 'someone-else' },
            ],
            release: [{ groupId: 'g1', userId: '2', claimedBy: 'rm1', error: 'Kantata is down' }],
          },
        },
      );
      const left = await store.listEnds({});
      expect(left.map((e) => e.userId)).toEqual(['2', '3']);
      expect(left[0]).toMatchObject({ failures: 1, lastError: 'Kantata is down' });
      expect(left[0]?.claim).toBeUndefined();
      expect((await store.listDueEnds({ now: now(), limit: 10 })).map((e) => e.userId)).toEqual(['2']);
    });

    it('a reminder is claimed once while due, once more after its claim lapses, never once sent', async () => {
      const { store, clock } = current();
      await record([endOf('1', 30), endOf('2', 10)]);
      const claim = () =>
        store.claimReminders({ now: now(), remindBeforeMs: 24 * HOUR, claimUntil: at(0.5), limit: 100 });
      const first = await Promise.all([claim(), claim(), claim()]);
      expect(first.flat().map((e) => e.userId)).toEqual(['2']);
      clock.advance(HOUR);
      const again = await claim();
      expect(again.map((e) => e.userId)).toEqual(['2']);
      await store.markReminded(again, now());
      clock.advance(7 * HOUR);
      const later = await claim();
      expect(later.map((e) => e.userId)).toEqual(['1']);
      await store.markReminded(later, now());
      expect(await claim()).toEqual([]);
      // A moved end gets a reminder of its own: setting it anew clears the reminder state.
      await record([endOf('2', 30, { setBy: 'ext1' })], 'ext1');
      clock.advance(10 * HOUR);
      expect((await claim()).map((e) => e.userId)).toEqual(['2']);
    });
  });
}
