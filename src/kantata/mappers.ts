import type { MembershipWithUser } from '../membership/ports.js';
import type { Group, KantataUser } from '../membership/types.js';
import type { WithId } from './list-reader.js';
import type { AccountMembershipRecord, KantataUserRecord } from './schemas.js';

/**
 * A Kantata user as the core sees it. With no account membership to read (missing or not included),
 * the user counts as disabled: only an active membership on our account makes someone usable.
 */
export function toKantataUser(
  user: KantataUserRecord,
  accountMemberships: ReadonlyMap<string, AccountMembershipRecord>,
): KantataUser {
  const membershipId = user.account_membership_id ?? undefined;
  const membership = membershipId === undefined ? undefined : accountMemberships.get(membershipId);
  return {
    id: user.id,
    name: displayName(user),
    email: user.email_address,
    disabled: membership === undefined || (membership.disabled_at ?? null) !== null,
    isAdministrator: membership?.is_administrator === true || membership?.permission === 'administrator',
  };
}

/**
 * A user included in a membership listing (`include=user`). Kantata sends no account membership there,
 * so these users are reported as `disabled: false, isAdministrator: false`: membership listings are for
 * showing who is in a group, never for authorization (use `findUsersBy*` / `getMe` for that).
 */
export function toIncludedUser(user: KantataUserRecord): KantataUser {
  return {
    id: user.id,
    name: displayName(user),
    email: user.email_address,
    disabled: false,
    isAdministrator: false,
  };
}

export function toGroup(group: WithId<{ name: string }>): Group {
  return { id: group.id, name: group.name };
}

export function toMembership(
  membership: WithId<{ user_id: string; workspace_group_id: string }>,
  users: ReadonlyMap<string, KantataUserRecord>,
): MembershipWithUser {
  const included = users.get(membership.user_id);
  return {
    id: membership.id,
    userId: membership.user_id,
    groupId: membership.workspace_group_id,
    ...(included === undefined ? {} : { user: toIncludedUser(included) }),
  };
}

function displayName(user: KantataUserRecord): string {
  const name = user.full_name?.trim();
  return name ? name : user.email_address;
}
