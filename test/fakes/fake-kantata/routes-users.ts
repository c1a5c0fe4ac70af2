import { accountMembershipJson, listResponse, userJson } from './format.js';
import { readBool, readIdList, readIncludes, readList, readOrder, readPaging } from './query-rules.js';
import type { RouteHandler } from './route-context.js';
import type { FakeState, UserRecord } from './state.js';

/** `include` values the spec documents for /users and /users/me. */
const USER_INCLUDES = [
  'account_membership',
  'custom_field_values',
  'external_references',
  'manager',
  'role',
  'skill_memberships',
  'skills',
  'work_samples',
];

function usersPage(
  state: FakeState,
  users: readonly UserRecord[],
  includes: Set<string>,
  paging: { page: number; perPage: number },
) {
  const withMembership = includes.has('account_membership');
  const record = (user: UserRecord) => ({ id: user.id, value: userJson(user, withMembership) });
  return listResponse('users', users, paging, record, (page): Record<string, Record<string, object>> => {
    if (!withMembership) return {};
    const memberships: Record<string, object> = {};
    for (const { id } of page) {
      const user = state.users.get(id);
      if (user) memberships[user.accountMembershipId] = accountMembershipJson(user);
    }
    return { account_memberships: memberships };
  });
}

/**
 * GET /users. Without `on_my_account=true` Kantata returns only users who share a project with the
 * requester; the fake has no projects, so that is just the requester. Disabled users are hidden unless
 * `show_disabled=true`. Email filters match exactly, case-insensitively.
 */
export const getUsers: RouteHandler = ({ state, query }) => {
  const paging = readPaging(query);
  const includes = readIncludes(query, ['account_membership'], USER_INCLUDES);
  const order = readOrder(query, ['alphabetical:asc', 'alphabetical:desc'], 'alphabetical:asc');
  const onMyAccount = readBool(query, 'on_my_account');
  const showDisabled = readBool(query, 'show_disabled');
  const only = readIdList(query, 'only');
  const emails = readList(query, 'by_email_addresses', 200);
  const email = query.by_email_address;
  const name = query.by_full_name?.toLowerCase();

  let users: UserRecord[];
  if (emails !== undefined || email !== undefined) {
    // Index lookups keep 10,000-user accounts fast; the result is then put in alphabetical order.
    const wanted = [...(emails ?? []), ...(email === undefined ? [] : [email])];
    const found = new Set(
      wanted.map((e) => state.userByEmail(e)).filter((u): u is UserRecord => u !== undefined),
    );
    users = state.inAlphabeticalOrder(found);
    if (emails !== undefined && email !== undefined) {
      const exact = email.trim().toLowerCase();
      users = users.filter((user) => user.email.toLowerCase() === exact);
    }
  } else if (only !== undefined) {
    const listed = new Set(only.map((id) => state.users.get(id)).filter((u) => u !== undefined));
    users = state.inAlphabeticalOrder(listed);
  } else {
    users = state.usersAlphabetical();
  }
  if (only !== undefined) {
    const ids = new Set(only);
    users = users.filter((user) => ids.has(user.id));
  }
  if (!onMyAccount) users = users.filter((user) => user.id === state.tokenOwnerId);
  if (!showDisabled) users = users.filter((user) => user.disabledAt === null);
  if (name !== undefined) users = users.filter((user) => user.name.toLowerCase().includes(name));
  if (order === 'alphabetical:desc') users = [...users].reverse();
  return usersPage(state, users, includes, paging);
};

/** GET /users/me: the token's owner, in list format under `users`. */
export const getMe: RouteHandler = ({ state, query }) => {
  const includes = readIncludes(query, ['account_membership'], USER_INCLUDES);
  const me = state.users.get(state.tokenOwnerId);
  return usersPage(state, me ? [me] : [], includes, { page: 1, perPage: 20 });
};
