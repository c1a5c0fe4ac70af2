/**
 * In-memory Kantata account for the fake server: users with their account memberships, workspace groups
 * and user group memberships, with indexes so that seeding 10,000 users or 5,000 memberships is instant.
 */

export type FakeUserSeed = {
  email: string;
  name?: string;
  id?: string;
  /** Account membership `is_administrator` (and, unless `permission` says otherwise, permission `administrator`). */
  admin?: boolean;
  /** Account membership `disabled_at` set. */
  disabled?: boolean;
  /** Account membership `permission`; default `administrator` for admins, else `collaborator`. */
  permission?: string;
};

export type UserRecord = {
  id: string;
  name: string;
  email: string;
  accountMembershipId: string;
  isAdministrator: boolean;
  permission: string;
  disabledAt: string | null;
  createdAt: string;
};

export type GroupRecord = { id: string; name: string; createdAt: string };

export type MembershipRecord = {
  id: string;
  userId: string;
  groupId: string;
  creatorId: string;
  createdAt: string;
  /** Creation order: `created_at` has second resolution, this breaks ties. */
  seq: number;
};

/** Separate id ranges so that a user id passed as a group id (or the reverse) is caught by a test. */
const FIRST_IDS = { user: 10_001, group: 501, membership: 900_001, accountMembership: 70_001 };

export class FakeState {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly memberships = new Map<string, MembershipRecord>();
  tokenOwnerId = '';

  private readonly userIdByEmail = new Map<string, string>();
  private readonly groupIdByName = new Map<string, string>();
  private readonly membershipIdsByGroup = new Map<string, Set<string>>();
  private readonly membershipIdByPair = new Map<string, string>();
  private readonly next = { ...FIRST_IDS };
  private seq = 0;
  private sortedUsers: UserRecord[] | undefined;
  private alphabeticalRank: Map<UserRecord, number> | undefined;

  addUser(seed: FakeUserSeed): UserRecord {
    const email = seed.email.trim();
    const key = email.toLowerCase();
    if (email === '' || this.userIdByEmail.has(key))
      throw new Error(`fake-kantata: duplicate or empty email ${email}`);
    const id = this.takeId('user', seed.id, this.users);
    const admin = seed.admin === true;
    const user: UserRecord = {
      id,
      name: seed.name ?? email.split('@')[0] ?? email,
      email,
      accountMembershipId: String(this.next.accountMembership++),
      isAdministrator: admin,
      permission: seed.permission ?? (admin ? 'administrator' : 'collaborator'),
      disabledAt: seed.disabled === true ? now() : null,
      createdAt: now(),
    };
    this.users.set(id, user);
    this.userIdByEmail.set(key, id);
    this.sortedUsers = undefined;
    this.alphabeticalRank = undefined;
    return user;
  }

  updateUser(
    id: string,
    patch: Partial<Pick<UserRecord, 'isAdministrator' | 'permission' | 'disabledAt' | 'name'>>,
  ) {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake-kantata: no user ${id}`);
    Object.assign(user, patch);
    this.sortedUsers = undefined;
    this.alphabeticalRank = undefined;
  }

  userByEmail(email: string): UserRecord | undefined {
    const id = this.userIdByEmail.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Users in Kantata's `alphabetical:asc` order (by full name, then id), cached between changes. */
  usersAlphabetical(): UserRecord[] {
    this.sortedUsers ??= [...this.users.values()].sort(
      (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || Number(a.id) - Number(b.id),
    );
    return this.sortedUsers;
  }

  /** These users in the order of `usersAlphabetical`, without walking every user (an index lookup's result). */
  inAlphabeticalOrder(users: Iterable<UserRecord>): UserRecord[] {
    if (!this.alphabeticalRank) {
      const rank = new Map<UserRecord, number>();
      for (const [i, user] of this.usersAlphabetical().entries()) rank.set(user, i);
      this.alphabeticalRank = rank;
    }
    const rank = this.alphabeticalRank;
    return [...users].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  }

  addGroup(name: string, id?: string): GroupRecord {
    const key = name.trim().toLowerCase();
    // Kantata: "Names must be unique and are not case sensitive".
    if (key === '' || this.groupIdByName.has(key))
      throw new Error(`fake-kantata: duplicate or empty group ${name}`);
    const groupId = this.takeId('group', id, this.groups);
    const group = { id: groupId, name: name.trim(), createdAt: now() };
    this.groups.set(groupId, group);
    this.groupIdByName.set(key, groupId);
    return group;
  }

  hasMembership(userId: string, groupId: string): boolean {
    return this.membershipIdByPair.has(pairKey(userId, groupId));
  }

  addMembership(userId: string, groupId: string, creatorId = this.tokenOwnerId): MembershipRecord {
    if (!this.users.has(userId)) throw new Error(`fake-kantata: no user ${userId}`);
    if (!this.groups.has(groupId)) throw new Error(`fake-kantata: no group ${groupId}`);
    if (this.hasMembership(userId, groupId)) throw new Error(`fake-kantata: ${userId} already in ${groupId}`);
    const membership: MembershipRecord = {
      id: String(this.next.membership++),
      userId,
      groupId,
      creatorId,
      createdAt: now(),
      seq: this.seq++,
    };
    this.memberships.set(membership.id, membership);
    this.membershipIdByPair.set(pairKey(userId, groupId), membership.id);
    let ids = this.membershipIdsByGroup.get(groupId);
    if (!ids) {
      ids = new Set();
      this.membershipIdsByGroup.set(groupId, ids);
    }
    ids.add(membership.id);
    return membership;
  }

  removeMembership(id: string): boolean {
    const membership = this.memberships.get(id);
    if (!membership) return false;
    this.memberships.delete(id);
    this.membershipIdByPair.delete(pairKey(membership.userId, membership.groupId));
    this.membershipIdsByGroup.get(membership.groupId)?.delete(id);
    return true;
  }

  /** Memberships in creation order, optionally of one or several groups. */
  membershipsOf(groupIds?: readonly string[]): MembershipRecord[] {
    if (groupIds === undefined) return [...this.memberships.values()];
    const found: MembershipRecord[] = [];
    for (const groupId of groupIds) {
      for (const id of this.membershipIdsByGroup.get(groupId) ?? []) {
        const membership = this.memberships.get(id);
        if (membership) found.push(membership);
      }
    }
    return groupIds.length > 1 ? found.sort((a, b) => a.seq - b.seq) : found;
  }

  private takeId(
    kind: keyof typeof FIRST_IDS,
    wanted: string | undefined,
    taken: Map<string, unknown>,
  ): string {
    if (wanted === undefined) {
      while (taken.has(String(this.next[kind]))) this.next[kind] += 1;
      return String(this.next[kind]++);
    }
    if (!/^\d+$/.test(wanted)) throw new Error(`fake-kantata: ids are decimal strings, got ${wanted}`);
    if (taken.has(wanted)) throw new Error(`fake-kantata: ${kind} ${wanted} exists`);
    return wanted;
  }
}

function pairKey(userId: string, groupId: string): string {
  return `${userId}:${groupId}`;
}

function now(): string {
  return new Date().toISOString();
}
