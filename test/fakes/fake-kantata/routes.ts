import { errorResponse, type FakeResponse } from './format.js';
import { checkAllowedParams, FakeRequestError, type RouteKey } from './query-rules.js';
import type { RouteContext, RouteHandler } from './route-context.js';
import { getGroup, getGroups } from './routes-groups.js';
import { deleteMembership, getMemberships, postMemberships } from './routes-memberships.js';
import { getMe, getUsers } from './routes-users.js';

type Route = {
  method: string;
  pattern: RegExp;
  key: RouteKey;
  handler: RouteHandler;
  /** Kantata: "You must be an Account Administrator to use these endpoints." */
  adminOnly?: boolean;
};

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/users\/me$/, key: 'GET /users/me', handler: getMe },
  { method: 'GET', pattern: /^\/users$/, key: 'GET /users', handler: getUsers },
  { method: 'GET', pattern: /^\/workspace_groups$/, key: 'GET /workspace_groups', handler: getGroups },
  {
    method: 'GET',
    pattern: /^\/workspace_groups\/([^/]+)$/,
    key: 'GET /workspace_groups/{id}',
    handler: getGroup,
  },
  {
    method: 'GET',
    pattern: /^\/user_group_memberships$/,
    key: 'GET /user_group_memberships',
    handler: getMemberships,
    adminOnly: true,
  },
  {
    method: 'POST',
    pattern: /^\/user_group_memberships$/,
    key: 'POST /user_group_memberships',
    handler: postMemberships,
    adminOnly: true,
  },
  {
    method: 'DELETE',
    pattern: /^\/user_group_memberships\/([^/]+)$/,
    key: 'DELETE /user_group_memberships/{id}',
    handler: deleteMembership,
    adminOnly: true,
  },
];

export type IncomingCall = Omit<RouteContext, 'params'> & {
  method: string;
  /** Path relative to `/api/v1`, without a `.json` suffix. */
  path: string;
  authorization: string | undefined;
  token: string;
};

/** Routing, then bearer auth, then the query allow-list, then the handler. */
export function handleCall(call: IncomingCall): FakeResponse {
  const route = ROUTES.find((r) => r.method === call.method && r.pattern.test(call.path));
  if (!route) return errorResponse(404, 'system', `No route matches ${call.method} ${call.path}`);

  const owner = call.state.users.get(call.state.tokenOwnerId);
  if (call.authorization !== `Bearer ${call.token}` || !owner || owner.disabledAt !== null) {
    return errorResponse(401, 'oauth', 'Invalid OAuth 2 Request');
  }
  if (route.adminOnly && !owner.isAdministrator && owner.permission !== 'administrator') {
    return errorResponse(403, 'system', 'You must be an Account Administrator to use these endpoints.');
  }
  try {
    checkAllowedParams(route.key, call.query);
    const params = (route.pattern.exec(call.path) ?? []).slice(1);
    return route.handler({ ...call, params });
  } catch (error) {
    if (error instanceof FakeRequestError) return error.response;
    throw error;
  }
}
