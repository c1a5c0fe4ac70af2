import type { FakeState, GroupRecord, MembershipRecord, UserRecord } from './state.js';

/** What a route hands back to the server: a status, an optional JSON body, optional headers. */
export type FakeResponse = { status: number; body?: unknown; headers?: Record<string, string> };

/** Kantata's error format: `{"errors":[{"type","message","field?"}]}`. */
export function errorResponse(status: number, type: string, message: string, field?: string): FakeResponse {
  return { status, body: { errors: [{ type, message, ...(field === undefined ? {} : { field }) }] } };
}

export function errorsResponse(status: number, errors: { type: string; message: string; field?: string }[]) {
  return { status, body: { errors } };
}

export type Paging = { page: number; perPage: number };

/**
 * Kantata's list format for one page of `all`: `results` refs in order, objects under `key` indexed by id,
 * and `included` maps beside them. Only the page's items are turned into JSON (`toRecord`): a page of a
 * 5,000-member group is 200 objects to build, not 5,000, as a real server's page costs its page.
 */
export function listResponse<T>(
  key: string,
  all: readonly T[],
  paging: Paging,
  toRecord: (item: T) => { id: string; value: object },
  included: (
    page: readonly { id: string; value: object }[],
  ) => Record<string, Record<string, object>> = () => ({}),
): FakeResponse {
  const start = (paging.page - 1) * paging.perPage;
  const page = all.slice(start, start + paging.perPage).map(toRecord);
  const count = all.length;
  return {
    status: 200,
    body: {
      count,
      meta: {
        count,
        page_count: Math.ceil(count / paging.perPage),
        page_number: paging.page,
        page_size: paging.perPage,
      },
      results: page.map((record) => ({ key, id: record.id })),
      [key]: Object.fromEntries(page.map((record) => [record.id, record.value])),
      ...included(page),
    },
  };
}

export function userJson(user: UserRecord, withAccountMembership: boolean): object {
  return {
    id: user.id,
    full_name: user.name,
    email_address: user.email,
    headline: '',
    photo_path: `https://fake-kantata.invalid/avatars/${user.id}.png`,
    ...(withAccountMembership ? { account_membership_id: user.accountMembershipId } : {}),
  };
}

export function accountMembershipJson(user: UserRecord): object {
  return {
    id: user.accountMembershipId,
    is_administrator: user.isAdministrator,
    is_owner: false,
    is_project_lead: user.isAdministrator,
    is_punch_clock_user: user.permission === 'punch_clock',
    can_create_workspace: user.isAdministrator,
    can_view_reports: user.isAdministrator,
    permission: user.permission,
    disabled_at: user.disabledAt,
    created_at: user.createdAt,
    updated_at: user.createdAt,
  };
}

export function groupJson(group: GroupRecord): object {
  return {
    id: group.id,
    name: group.name,
    company: false,
    created_at: group.createdAt,
    updated_at: group.createdAt,
  };
}

/**
 * `UserWorkspaceGroup` lists no `id` and its ints as `integer`, so the fake leaves `id` out of the object
 * (it is the map key) and sends numbers: clients must take the id from `results` and accept numbers.
 */
export function membershipJson(membership: MembershipRecord): object {
  return {
    created_at: membership.createdAt,
    creator_id: Number(membership.creatorId),
    user_id: Number(membership.userId),
    workspace_group_id: Number(membership.groupId),
  };
}

/** Included users for `include=user`, keyed by id. */
export function includedUsers(state: FakeState, userIds: Iterable<string>): Record<string, object> {
  const users: Record<string, object> = {};
  for (const id of userIds) {
    const user = state.users.get(id);
    if (user) users[id] = userJson(user, false);
  }
  return users;
}

export function includedGroups(state: FakeState, groupIds: Iterable<string>): Record<string, object> {
  const groups: Record<string, object> = {};
  for (const id of groupIds) {
    const group = state.groups.get(id);
    if (group) groups[id] = groupJson(group);
  }
  return groups;
}
