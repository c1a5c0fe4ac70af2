import { AppError } from './errors.js';
import type { GroupCatalog } from './group-catalog.js';
import type { KantataGateway } from './ports.js';
import { suggestNames } from './suggest.js';
import { groupNameKey, isKantataId } from './text.js';
import type { Group } from './types.js';

/** How a group was named: by name (matched exactly, ignoring case and extra spaces) or by Kantata id. */
export type GroupRef = { kind: 'name'; name: string } | { kind: 'id'; id: string };

/**
 * Finds one group. By name: `GET /workspace_groups?matching=…` then an exact comparison, since `matching`
 * is fuzzy and names are unique regardless of case. A miss throws `group_not_found` with up to five
 * suggestions (`detail: { query, suggestions }`).
 */
export async function findGroup(
  deps: { kantata: KantataGateway; catalog: GroupCatalog },
  ref: GroupRef,
): Promise<Group> {
  if (ref.kind === 'id') {
    const query = `id:${ref.id}`;
    const group = isKantataId(ref.id) ? await deps.kantata.getGroup(ref.id) : null;
    if (group) return group;
    throw new AppError('group_not_found', `No Kantata group has the id ${ref.id}.`, {
      query,
      suggestions: [],
    });
  }

  const key = groupNameKey(ref.name);
  const query = ref.name.trim().replace(/\s+/g, ' ');
  if (key.length === 0) {
    throw new AppError('group_not_found', 'No group name was given.', { query, suggestions: [] });
  }
  const found = (await deps.kantata.searchGroups(query)).find((g) => groupNameKey(g.name) === key);
  if (found) return found;

  // `matching` is documented only as "similar"; the cached full list catches an exact name it left out.
  const entries = await deps.catalog.entries();
  const cachedMatch = entries.find((e) => e.key === key);
  if (cachedMatch) return cachedMatch.group;

  const suggestions = suggestNames(
    query,
    entries.map((e) => e.group.name),
  );
  throw new AppError('group_not_found', `No Kantata group is named "${query}".`, { query, suggestions });
}
