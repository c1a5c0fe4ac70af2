import { errorResponse, groupJson, listResponse } from './format.js';
import { readIdList, readOrder, readPaging } from './query-rules.js';
import type { RouteHandler } from './route-context.js';
import type { GroupRecord } from './state.js';

const GROUP_ORDERS = ['created_at', 'name', 'updated_at'].flatMap((field) => [
  `${field}:asc`,
  `${field}:desc`,
]);

/** GET /workspace_groups: `matching` is a case-insensitive substring of the name; default order `name:ASC`. */
export const getGroups: RouteHandler = ({ state, query }) => {
  const paging = readPaging(query);
  const order = readOrder(query, GROUP_ORDERS, 'name:asc');
  const only = readIdList(query, 'only');
  const matching = query.matching?.toLowerCase();
  let groups = [...state.groups.values()];
  if (only !== undefined) {
    const ids = new Set(only);
    groups = groups.filter((group) => ids.has(group.id));
  }
  if (matching !== undefined) groups = groups.filter((group) => group.name.toLowerCase().includes(matching));
  groups.sort(compareGroups(order));
  return listResponse('workspace_groups', groups, paging, groupRecord);
};

/** GET /workspace_groups/{id}: 404 when there is no such group. */
export const getGroup: RouteHandler = ({ state, params }) => {
  const group = state.groups.get(params[0] ?? '');
  if (!group) return errorResponse(404, 'system', 'The workspace group could not be found.');
  return listResponse('workspace_groups', [group], { page: 1, perPage: 20 }, groupRecord);
};

function compareGroups(order: string): (a: GroupRecord, b: GroupRecord) => number {
  const [field, direction] = order.split(':');
  const sign = direction === 'desc' ? -1 : 1;
  return (a, b) => {
    const primary =
      field === 'name'
        ? a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })
        : a.createdAt.localeCompare(b.createdAt);
    return sign * (primary || Number(a.id) - Number(b.id));
  };
}

function groupRecord(group: GroupRecord): { id: string; value: object } {
  return { id: group.id, value: groupJson(group) };
}
