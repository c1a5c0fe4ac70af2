import type { KantataGateway } from './ports.js';
import { type Resolution, resolvePeople } from './resolve-people.js';
import type { ChangeAction, Group, PersonRef, Plan } from './types.js';

/** The ids of the given users who are members of the group now (one read, chunked ≤200 ids by the adapter). */
export async function currentMemberIds(
  kantata: KantataGateway,
  groupId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const memberships = await kantata.listMemberships({ groupId, userIds: [...userIds] });
  return new Set(memberships.filter((m) => m.groupId === groupId).map((m) => m.userId));
}

/**
 * Computes a preview against Kantata's current state (SPEC §4.1). For `add`, disabled users are
 * unresolved (`disabled`); for `remove` they are accepted, since they may still hold memberships.
 */
export async function planChange(
  deps: { kantata: KantataGateway; maxPeople: number },
  action: ChangeAction,
  group: Group,
  refs: readonly PersonRef[],
): Promise<Plan> {
  const resolution: Resolution = await resolvePeople(deps, refs, { allowDisabled: action === 'remove' });
  const users = resolution.users.map((r) => r.user);
  const members = await currentMemberIds(
    deps.kantata,
    group.id,
    users.map((u) => u.id),
  );
  const isMember = (id: string) => members.has(id);
  return {
    action,
    group,
    toChange: users.filter((u) => (action === 'add' ? !isMember(u.id) : isMember(u.id))),
    unchanged: users.filter((u) => (action === 'add' ? isMember(u.id) : !isMember(u.id))),
    unresolved: resolution.unresolved,
  };
}
