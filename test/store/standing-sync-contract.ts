import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import type { StandingSync } from '../../src/approvals/standing-sync/types.js';
import type { ManualClock } from './store-fixtures.js';

const HOUR = 3_600_000;

/** Issue 13: standing syncs, the same in every store backend (called inside `describeStoreContract`). */
export function describeStandingSyncContract(
  current: () => { store: Store; clock: ManualClock; reopen(): Promise<Store> },
) {
  const at = (hours: number) => new Date(current().clock.now().getTime() + hours * HOUR).toISOString();
  const syncOf = (groupId: string, nextInHours: number, extra: Partial<StandingSync> = {}): StandingSync => ({
    groupId,
    groupName: `Group ${groupId}`,
    source: { key: 'usergroup:S1', label: '@team' },
    addOnly: false,
    createdBy: { slackUserId: 'U_ADMIN', name: 'Ada' },
    createdAt: at(0),
    nextRunAt: at(nextInHours),
    ...extra,
  });

  describe('standing syncs', () => {
    it('saves, replaces, lists soonest first and removes, across a reopen', async () => {
      const { store } = current();
      await store.saveStandingSync(syncOf('g2', 2));
      await store.saveStandingSync(syncOf('g1', 1));
      await store.saveStandingSync(syncOf('g2', 3, { addOnly: true }));
      expect((await store.listStandingSyncs()).map((s) => [s.groupId, s.addOnly])).toEqual([
        ['g1', false],
        ['g2', true],
      ]);
      const reopened = await current().reopen();
      expect(await reopened.getStandingSync('g2')).toEqual(syncOf('g2', 3, { addOnly: true }));
      expect(await reopened.removeStandingSync('g2')).toBe(true);
      expect(await reopened.removeStandingSync('g2')).toBe(false);
      expect(await reopened.getStandingSync('g2')).toBeNull();
      await reopened.close();
    });

    it('claims each due run once, skips paused ones, and takes a lapsed claim over', async () => {
      const { store, clock } = current();
      await store.saveStandingSync(syncOf('due', -1));
      await store.saveStandingSync(syncOf('later', 1));
      await store.saveStandingSync(syncOf('paused', -2, { paused: { at: at(0), reason: 'deleted' } }));
      const claim = (owner: string) => store.claimDueSync({ now: at(0), owner, until: at(0.5) });
      const [a, b] = await Promise.all([claim('A'), claim('B')]);
      expect([a?.groupId, b?.groupId].filter(Boolean)).toEqual(['due']);
      const winner = a ? 'A' : 'B';
      expect(await claim('C')).toBeNull();
      // Only the owner ends the run.
      const patch = { nextRunAt: at(1), lastRun: { at: at(0), outcome: 'unchanged' as const } };
      expect(await store.finishSyncRun('due', 'C', patch)).toBe(false);
      clock.advance(HOUR);
      // The claim lapsed (the run's process died): another replica takes it over.
      const again = await store.claimDueSync({ now: at(0), owner: 'C', until: at(0.5) });
      expect(again?.groupId).toBe('due');
      expect(await store.finishSyncRun('due', winner, patch)).toBe(false);
      expect(await store.finishSyncRun('due', 'C', { ...patch, waitingFor: 'chg1' })).toBe(true);
      const done = await store.getStandingSync('due');
      expect(done?.claim).toBeUndefined();
      expect(done?.lastRun?.outcome).toBe('unchanged');
      expect(done?.waitingFor).toBe('chg1');
    });
  });
}
