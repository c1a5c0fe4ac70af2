import {
  errorResponse,
  errorsResponse,
  type FakeResponse,
  includedGroups,
  includedUsers,
  listResponse,
  membershipJson,
} from './format.js';
import { FakeRequestError, readIdList, readIncludes, readOrder, readPaging } from './query-rules.js';
import type { RouteContext, RouteHandler } from './route-context.js';
import type { FakeState, MembershipRecord } from './state.js';

const MEMBERSHIP_INCLUDES = ['user', 'workspace_group'];
const MAX_BULK = 100;

function membershipsList(
  state: FakeState,
  memberships: readonly MembershipRecord[],
  includes: Set<string>,
  paging: {
    page: number;
    perPage: number;
  },
): FakeResponse {
  const record = (m: MembershipRecord) => ({ id: m.id, value: membershipJson(m) });
  return listResponse('user_group_memberships', memberships, paging, record, (page) => {
    const included: Record<string, Record<string, object>> = {};
    const onPage = page.map(({ id }) => state.memberships.get(id)).filter((m) => m !== undefined);
    if (includes.has('user'))
      included.users = includedUsers(
        state,
        onPage.map((m) => m.userId),
      );
    if (includes.has('workspace_group')) {
      included.workspace_groups = includedGroups(
        state,
        onPage.map((m) => m.groupId),
      );
    }
    return included;
  });
}

/** GET /user_group_memberships: `group_ids`, `user_ids`, `only`; default order `created_at:desc`. */
export const getMemberships: RouteHandler = ({ state, query }) => {
  const paging = readPaging(query);
  const includes = readIncludes(query, MEMBERSHIP_INCLUDES, MEMBERSHIP_INCLUDES);
  const order = readOrder(query, ['created_at:asc', 'created_at:desc'], 'created_at:desc');
  const groupIds = readIdList(query, 'group_ids');
  const userIds = readIdList(query, 'user_ids');
  const only = readIdList(query, 'only');
  let memberships = state.membershipsOf(groupIds);
  if (userIds !== undefined) {
    const ids = new Set(userIds);
    memberships = memberships.filter((m) => ids.has(m.userId));
  }
  if (only !== undefined) {
    const ids = new Set(only);
    memberships = memberships.filter((m) => ids.has(m.id));
  }
  if (order === 'created_at:desc') memberships = [...memberships].reverse();
  return membershipsList(state, memberships, includes, paging);
};

/**
 * POST /user_group_memberships, single (`user_group_membership`) or bulk (`user_group_memberships`, ≤100).
 * All-or-nothing: any invalid entry (unknown user or group, already a member, twice in the body, a refused
 * user) answers 422 with every problem and creates nothing. Success is 200 in list format.
 */
export const postMemberships: RouteHandler = (ctx) => {
  const includes = readIncludes(ctx.query, MEMBERSHIP_INCLUDES, MEMBERSHIP_INCLUDES);
  const entries = readBody(ctx);
  const { state } = ctx;
  const problems: { type: string; message: string; field?: string }[] = [];
  const seen = new Set<string>();
  for (const { userId, groupId } of entries) {
    const refusal = ctx.refusedUsers.get(userId);
    if (refusal !== undefined) problems.push({ type: 'validation', message: refusal });
    if (!state.users.has(userId)) {
      problems.push({ type: 'validation', message: `User ${userId} does not exist`, field: 'user_id' });
    }
    if (!state.groups.has(groupId)) {
      problems.push({
        type: 'validation',
        message: `Workspace group ${groupId} does not exist`,
        field: 'workspace_group_id',
      });
    }
    const pair = `${userId}:${groupId}`;
    if (seen.has(pair) || state.hasMembership(userId, groupId)) {
      problems.push({
        type: 'validation',
        message: `User ${userId} has already been taken`,
        field: 'user_id',
      });
    }
    seen.add(pair);
  }
  if (problems.length > 0) return errorsResponse(422, problems);
  const created = entries.map(({ userId, groupId }) => state.addMembership(userId, groupId));
  return membershipsList(state, created, includes, { page: 1, perPage: Math.max(created.length, 1) });
};

/** DELETE /user_group_memberships/{id}: 204, or 404 when there is no such membership. */
export const deleteMembership: RouteHandler = ({ state, params }) => {
  if (!state.removeMembership(params[0] ?? '')) {
    return errorResponse(404, 'system', 'The user group membership could not be found.');
  }
  return { status: 204 };
};

type Entry = { userId: string; groupId: string };

function readBody({ body, bodyIsJson }: RouteContext): Entry[] {
  if (!bodyIsJson || typeof body !== 'object' || body === null || Array.isArray(body)) {
    bad(400, 'The request body must be a JSON object');
  }
  const keys = Object.keys(body);
  const unknown = keys.filter((key) => key !== 'user_group_membership' && key !== 'user_group_memberships');
  if (unknown.length > 0) bad(400, `Unknown body key(s): ${unknown.join(', ')}`);
  if (keys.length !== 1) bad(400, 'Send exactly one of user_group_membership or user_group_memberships');
  const record = body as Record<string, unknown>;
  if ('user_group_membership' in record)
    return [readEntry(record.user_group_membership, 'user_group_membership')];
  const list = record.user_group_memberships;
  if (!Array.isArray(list)) bad(400, 'user_group_memberships must be an array');
  if (list.length === 0) bad(422, 'user_group_memberships must not be empty');
  if (list.length > MAX_BULK) bad(422, `Bulk create is limited to ${MAX_BULK} objects, got ${list.length}`);
  return list.map((entry, index) => readEntry(entry, `user_group_memberships[${index}]`));
}

function readEntry(entry: unknown, where: string): Entry {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    bad(400, `${where} must be an object`);
  const record = entry as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== 'user_id' && key !== 'workspace_group_id');
  if (unknown.length > 0) bad(400, `${where}: unknown field(s) ${unknown.join(', ')}`);
  return { userId: readInt(record, 'user_id', where), groupId: readInt(record, 'workspace_group_id', where) };
}

/** The spec types both ids as `integer` (int32): numbers only, as JSON. */
function readInt(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (value === undefined || value === null) bad(422, `${where}.${field} is required`, field);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    bad(400, `${where}.${field} must be an integer, got ${JSON.stringify(value)}`, field);
  }
  return String(value);
}

function bad(status: number, message: string, field?: string): never {
  throw new FakeRequestError(errorResponse(status, status === 422 ? 'validation' : 'system', message, field));
}
