import { describe, expect, it } from 'vitest';
import type { GroupOwners, OwnerRef } from '../../src/approvals/owners/types.js';
import type { Store } from '../../src/approvals/ports.js';
import { collect, type ManualClock, makeAudit } from './store-fixtures.js';

/**
 * Issue 14: group owners, the same in every store backend (live state, audited in the same write). Called
 * inside `describeStoreContract`, which opens a fresh store (and clock) for each test.
 */
export function describeOwnersContract(
  current: () => { store: Store; clock: ManualClock; reopen(): Promise<Store> },
) {
  const ann: OwnerRef = { kind: 'person', id: 'UANN', label: 'ann' };
  const leads: OwnerRef = { kind: 'people_group', id: 'SLEADS', label: '@leads' };
  const ownersOf = (groupId: string, owners: OwnerRef[]): GroupOwners => ({
    groupId,
    groupName: `Group ${groupId}`,
    owners,
    updatedAt: current().clock.now().toISOString(),
    updatedBy: { slackUserId: 'UADMIN', name: 'Admin' },
  });
  const audit = (id: string, groupId: string) =>
    makeAudit({ id, groupId, event: 'owners_changed', owners: [ann], changeId: `owners-${id}` });

  describe('group owners', () => {
    it('stores owners with their audit row, lists them by group, survives a reopen, and removes the last', async () => {
      const { store } = current();
      expect(await store.getOwners('g1')).toBeNull();
      const result = await store.editOwners('g1', (before) => {
        expect(before).toBeNull();
        return { next: ownersOf('g1', [ann, leads]), audit: audit('a1', 'g1') };
      });
      expect(result).toEqual({ before: null, after: ownersOf('g1', [ann, leads]) });
      await store.editOwners('g0', () => ({ next: ownersOf('g0', [ann]), audit: audit('a0', 'g0') }));
      expect((await store.listGroupOwners()).map((o) => o.groupId)).toEqual(['g0', 'g1']);
      const reopened = await current().reopen();
      expect(await reopened.getOwners('g1')).toEqual(ownersOf('g1', [ann, leads]));
      expect(
        (await reopened.listAudit({ groupId: 'g1' })).map((a) => [
          a.id,
          a.event,
          'owners' in a ? a.owners : undefined,
        ]),
      ).toEqual([['a1', 'owners_changed', [ann]]]);
      await reopened.editOwners('g1', () => ({ next: null, audit: audit('a2', 'g1') }));
      expect(await reopened.getOwners('g1')).toBeNull();
      expect((await reopened.listGroupOwners()).map((o) => o.groupId)).toEqual(['g0']);
      expect((await collect(reopened.exportAudit({}))).map((a) => a.id)).toEqual(['a1', 'a0', 'a2']);
    });

    it('an edit that changes nothing writes nothing, not even an audit row', async () => {
      const { store } = current();
      const result = await store.editOwners('g1', () => null);
      expect(result).toEqual({ before: null, after: null });
      expect(await store.listAudit({})).toEqual([]);
    });

    it('two edits at once each see the other: no owner is lost', async () => {
      const { store } = current();
      const add = (owner: OwnerRef, id: string) =>
        store.editOwners('g1', (before) => ({
          next: ownersOf('g1', [...(before?.owners ?? []), owner]),
          audit: audit(id, 'g1'),
        }));
      await Promise.all([add(ann, 'a1'), add(leads, 'a2')]);
      const owners = (await store.getOwners('g1'))?.owners.map((o) => o.id).sort();
      expect(owners).toEqual(['SLEADS', 'UANN']);
    });
  });
}
