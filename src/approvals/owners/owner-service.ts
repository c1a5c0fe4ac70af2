import { AppError } from '../../membership/errors.js';
import type { Group } from '../../membership/types.js';
import type { ActingUser } from '../policy.js';
import type { Clock } from '../ports.js';
import type { Actor, ChangeAuditEntry } from '../types.js';
import type { GroupOwnerStore } from './owner-store.js';
import { type GroupOwners, type OwnerPower, type OwnerRef, type OwnersMay, ownerKey } from './types.js';

/**
 * Who is in a group of people (a Slack user group), asked at each check. The transport caches the answer
 * for at most 60 s (SPEC §4.8), so leaving the group takes effect within a minute.
 */
export type OwnerDirectory = { membersOf(peopleGroupId: string): Promise<string[]> };

export type OwnerServiceDeps = {
  store: GroupOwnerStore;
  directory: OwnerDirectory;
  ownersMay: OwnersMay;
  clock: Clock;
  newId: () => string;
  /** A people group that could not be read: its members are not owners for this check. */
  onLookupFailure?(peopleGroupId: string, error: unknown): void;
};

export type OwnersChange = {
  group: Group;
  action: 'add' | 'remove';
  owners: OwnerRef[];
  reason?: string;
};

export type OwnersChanged = {
  /** The group's owners now. */
  owners: OwnerRef[];
  /** Those this change added (or removed). */
  changed: OwnerRef[];
  /** Named but already owners (add) or not owners (remove). */
  unchanged: OwnerRef[];
};

/**
 * Group owners (SPEC §4.8): administrators name them; an owner decides requests for their groups
 * (`OWNERS_MAY=approve`), also applies their own changes there (`apply`), or nothing (`none`). Ownership is
 * checked when the click arrives, from the stored owners (removing one takes effect at once) and the
 * current members of owner groups.
 */
export function createOwnerService(deps: OwnerServiceDeps) {
  const { store, ownersMay } = deps;

  async function membersOf(id: string): Promise<string[]> {
    try {
      return await deps.directory.membersOf(id);
    } catch (error) {
      // Fail closed: an owner group that cannot be read grants nothing (administrators still can).
      deps.onLookupFailure?.(id, error);
      return [];
    }
  }

  async function includes(owners: GroupOwners, personId: string): Promise<boolean> {
    if (owners.owners.some((o) => o.kind === 'person' && o.id === personId)) return true;
    for (const owner of owners.owners) {
      if (owner.kind === 'people_group' && (await membersOf(owner.id)).includes(personId)) return true;
    }
    return false;
  }

  function auditRow(change: OwnersChange, by: Actor, changed: OwnerRef[]): ChangeAuditEntry {
    return {
      id: deps.newId(),
      at: deps.clock.now().toISOString(),
      event: 'owners_changed',
      actor: by,
      action: change.action,
      groupId: change.group.id,
      groupName: change.group.name,
      outcomes: [],
      owners: changed,
      ...(change.reason ? { reason: change.reason } : {}),
      changeId: deps.newId(),
    };
  }

  /** Refuses (`not_authorized`) anyone but an administrator: owners decide requests (SPEC §4.8). */
  function checkMayChangeOwners(by: ActingUser): void {
    if (by.isGuest) throw new AppError('guest_not_allowed', 'Guests cannot change owners');
    if (!by.isAdmin) {
      throw new AppError('not_authorized', 'Only an administrator can change the owners of a group', {
        reason: 'admins_only_owners',
      });
    }
  }

  const service = {
    ownersMay,

    /** The owners of a group, as named (empty when it has none). */
    async listOwners(groupId: string): Promise<OwnerRef[]> {
      return (await store.getOwners(groupId))?.owners ?? [];
    },

    checkMayChangeOwners,

    /** Adds or removes owners; administrators only. Audited in the same write. */
    async changeOwners(by: ActingUser, change: OwnersChange): Promise<OwnersChanged> {
      checkMayChangeOwners(by);
      const named = dedupe(change.owners);
      let changed: OwnerRef[] = [];
      const { after } = await store.editOwners(change.group.id, (current) => {
        const have = new Map((current?.owners ?? []).map((o) => [ownerKey(o), o]));
        changed = named.filter((o) => (change.action === 'add') !== have.has(ownerKey(o)));
        if (changed.length === 0) return null;
        for (const owner of changed) {
          if (change.action === 'add') have.set(ownerKey(owner), owner);
          else have.delete(ownerKey(owner));
        }
        const owners = [...have.values()];
        const next: GroupOwners | null =
          owners.length === 0
            ? null
            : {
                groupId: change.group.id,
                groupName: change.group.name,
                owners,
                updatedAt: deps.clock.now().toISOString(),
                updatedBy: by.actor,
              };
        return { next, audit: auditRow(change, by.actor, changed) };
      });
      const changedKeys = new Set(changed.map(ownerKey));
      return {
        owners: after?.owners ?? [],
        changed,
        unchanged: named.filter((o) => !changedKeys.has(ownerKey(o))),
      };
    },

    /** What this person may do as an owner of this group now (null: not an owner, or owners are off). */
    async ownerPower(by: ActingUser, groupId: string): Promise<OwnerPower> {
      if (ownersMay === 'none' || by.isGuest) return null;
      const owners = await store.getOwners(groupId);
      if (!owners || !(await includes(owners, by.actor.slackUserId))) return null;
      return ownersMay;
    },

    /** The ids of the groups this person owns now (for `/groups requests` and the Home tab). */
    async ownedGroupIds(by: ActingUser): Promise<Set<string>> {
      const owned = new Set<string>();
      if (ownersMay === 'none' || by.isGuest) return owned;
      for (const owners of await store.listGroupOwners()) {
        if (await includes(owners, by.actor.slackUserId)) owned.add(owners.groupId);
      }
      return owned;
    },

    /** Everyone who owns this group now (owner groups expanded), to be told of a request. */
    async currentOwners(groupId: string): Promise<string[]> {
      if (ownersMay === 'none') return [];
      const owners = await store.getOwners(groupId);
      if (!owners) return [];
      const ids = new Set<string>();
      for (const owner of owners.owners) {
        if (owner.kind === 'person') ids.add(owner.id);
        else for (const id of await membersOf(owner.id)) ids.add(id);
      }
      return [...ids];
    },
  };
  return service;
}

export type OwnerService = ReturnType<typeof createOwnerService>;

function dedupe(owners: readonly OwnerRef[]): OwnerRef[] {
  const seen = new Set<string>();
  return owners.filter((o) => !seen.has(ownerKey(o)) && seen.add(ownerKey(o)));
}
