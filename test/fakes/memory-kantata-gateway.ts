import { AppError } from '../../src/membership/errors.js';
import type { KantataGateway, MembershipWithUser } from '../../src/membership/ports.js';
import type { Group, KantataUser, Membership } from '../../src/membership/types.js';

/** Gateway operations a test can make fail. */
export type GatewayOp = Exclude<keyof KantataGateway, 'memberPages'>;

/**
 * A failure to inject: `error` is thrown by the `nth` matching call (default the next one), `times` calls
 * in a row. With `afterApply`, the call does its work first and then throws, like a POST whose answer
 * was lost (Kantata created the memberships, the client timed out).
 */
export type InjectedFailure = {
  op: GatewayOp;
  error: AppError;
  afterApply?: boolean;
  times?: number;
  nth?: number;
};

export type MemoryKantataGateway = KantataGateway & {
  addGroup(name: string, id?: string): Group;
  removeGroup(id: string): void;
  addUser(user: Partial<KantataUser> & { email: string }): KantataUser;
  addUsers(count: number, prefix?: string, domain?: string): KantataUser[];
  addMembership(userId: string, groupId: string): Membership;
  /** Deletes a membership behind the core's back (someone else did it in Kantata). */
  dropMembership(userId: string, groupId: string): void;
  memberIds(groupId: string): string[];
  /** Any bulk POST that includes this user is refused (422) with this message, all-or-nothing. */
  refuseUser(userId: string, message: string): void;
  setMe(userId: string): void;
  fail(failure: InjectedFailure): void;
  /** Every call, in order, with its input. */
  readonly calls: { op: GatewayOp; input: unknown }[];
  callsOf(op: GatewayOp): unknown[];
};

const validation = (message: string) => new AppError('kantata_validation', message, { status: 422 });

/**
 * An in-memory stand-in for the Kantata adapter that behaves like Kantata: bulk POSTs of at most 100 are
 * all-or-nothing (422 on a duplicate or a refused user), DELETE of a missing membership is a 404
 * (`kantata_not_found`), lookups return disabled users too. `memberPages: false` hides the streaming method.
 */
export function createMemoryKantataGateway(options: { memberPages?: boolean } = {}): MemoryKantataGateway {
  const groups = new Map<string, Group>();
  const users = new Map<string, KantataUser>();
  const memberships = new Map<string, Membership>();
  const refused = new Map<string, string>();
  const failures: (InjectedFailure & { left: number; skip: number })[] = [];
  const calls: { op: GatewayOp; input: unknown }[] = [];
  let nextId = 1000;
  let meId: string | null = null;
  const newId = () => {
    nextId += 1;
    return String(nextId);
  };

  /** Records the call; returns the failure to throw before or after applying, if any. */
  function enter(op: GatewayOp, input: unknown): InjectedFailure | null {
    calls.push({ op, input });
    const failure = failures.find((f) => f.op === op && f.left > 0);
    if (!failure) return null;
    if (failure.skip > 0) {
      failure.skip -= 1;
      return null;
    }
    failure.left -= 1;
    if (!failure.afterApply) throw failure.error;
    return failure;
  }

  async function run<T>(op: GatewayOp, input: unknown, work: () => T): Promise<T> {
    await Promise.resolve();
    const after = enter(op, input);
    const result = work();
    if (after) throw after.error;
    return result;
  }

  const withUser = (m: Membership): MembershipWithUser => {
    const user = users.get(m.userId);
    return user ? { ...m, user: { ...user } } : { ...m };
  };

  function listMembershipRows(query: { groupId: string; userIds?: string[] }): MembershipWithUser[] {
    const wanted = query.userIds ? new Set(query.userIds) : null;
    return [...memberships.values()]
      .filter((m) => m.groupId === query.groupId && (!wanted || wanted.has(m.userId)))
      .map(withUser);
  }

  const gateway: MemoryKantataGateway = {
    calls,
    callsOf: (op) => calls.filter((c) => c.op === op).map((c) => c.input),

    addGroup(name, id = newId()) {
      const group = { id, name };
      groups.set(id, group);
      return group;
    },
    removeGroup(id) {
      groups.delete(id);
    },
    addUser(user) {
      const id = user.id ?? newId();
      const full: KantataUser = {
        id,
        name: user.name ?? `User ${id}`,
        email: user.email,
        disabled: user.disabled ?? false,
        isAdministrator: user.isAdministrator ?? false,
      };
      users.set(id, full);
      return full;
    },
    addUsers(count, prefix = 'person', domain = 'example.com') {
      return Array.from({ length: count }, (_, i) => {
        const n = String(i + 1).padStart(4, '0');
        return gateway.addUser({ name: `${prefix} ${n}`, email: `${prefix}${n}@${domain}` });
      });
    },
    addMembership(userId, groupId) {
      const membership = { id: newId(), userId, groupId };
      memberships.set(membership.id, membership);
      return membership;
    },
    dropMembership(userId, groupId) {
      for (const [id, m] of memberships)
        if (m.userId === userId && m.groupId === groupId) memberships.delete(id);
    },
    memberIds: (groupId) =>
      [...memberships.values()].filter((m) => m.groupId === groupId).map((m) => m.userId),
    refuseUser(userId, message) {
      refused.set(userId, message);
    },
    setMe(userId) {
      meId = userId;
    },
    fail(failure) {
      failures.push({ ...failure, left: failure.times ?? 1, skip: (failure.nth ?? 1) - 1 });
    },

    searchGroups: (matching) =>
      run('searchGroups', matching, () =>
        [...groups.values()].filter((g) => g.name.toLowerCase().includes(matching.toLowerCase())),
      ),
    listAllGroups: () => run('listAllGroups', null, () => [...groups.values()]),
    getGroup: (id) => run('getGroup', id, () => groups.get(id) ?? null),
    listMemberships: (query) => run('listMemberships', query, () => listMembershipRows(query)),
    findUsersByEmails: (emails) =>
      run('findUsersByEmails', emails, () => {
        const wanted = new Set(emails.map((e) => e.toLowerCase()));
        return [...users.values()].filter((u) => wanted.has(u.email.toLowerCase())).map((u) => ({ ...u }));
      }),
    findUsersByIds: (ids) =>
      run('findUsersByIds', ids, () => ids.flatMap((id) => (users.has(id) ? [{ ...users.get(id)! }] : []))),
    getMe: () =>
      run('getMe', null, () => {
        const me = meId === null ? undefined : users.get(meId);
        if (!me) throw new AppError('kantata_unauthorized', 'Invalid OAuth 2 Request', { status: 401 });
        return { ...me };
      }),
    createMemberships: (groupId, userIds) =>
      run('createMemberships', { groupId, userIds: [...userIds] }, () => {
        if (userIds.length > 100) throw validation('Bulk create is limited to 100 objects');
        if (!groups.has(groupId)) throw validation('Workspace group could not be found');
        const seen = new Set<string>();
        for (const userId of userIds) {
          const reason = refused.get(userId);
          if (reason) throw validation(reason);
          if (!users.has(userId)) throw validation(`User ${userId} could not be found`);
          const duplicate = seen.has(userId) || listMembershipRows({ groupId, userIds: [userId] }).length > 0;
          if (duplicate) throw validation('User has already been added to this group');
          seen.add(userId);
        }
        return userIds.map((userId) => gateway.addMembership(userId, groupId));
      }),
    deleteMembership: (id) =>
      run('deleteMembership', id, () => {
        if (!memberships.delete(id))
          throw new AppError('kantata_not_found', 'Page Not Found', { status: 404 });
      }),
  };

  if (options.memberPages !== false) {
    gateway.memberPages = async function* memberPages(groupId: string) {
      const rows = listMembershipRows({ groupId });
      for (let i = 0; i < rows.length; i += 200) {
        await Promise.resolve();
        yield rows.slice(i, i + 200);
      }
    };
  }
  return gateway;
}
