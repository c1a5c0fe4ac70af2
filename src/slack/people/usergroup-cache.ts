import type { webApi } from '@slack/bolt';
import { listingError } from './slack-people-error.js';

/**
 * Members of Slack user groups, one usergroups.users.list call (Tier 2) per group per `ttlMs`.
 * Concurrent asks for the same group share one call.
 */
export function createUsergroupCache(deps: {
  client: Pick<webApi.WebClient, 'usergroups'>;
  ttlMs: number;
  now: () => number;
}) {
  const cached = new Map<string, { userIds: string[]; at: number }>();
  const inFlight = new Map<string, Promise<string[]>>();

  async function fetchMembers(usergroupId: string): Promise<string[]> {
    try {
      const res = await deps.client.usergroups.users.list({ usergroup: usergroupId });
      const userIds = (res.users ?? []).filter((id): id is string => typeof id === 'string' && id !== '');
      cached.set(usergroupId, { userIds, at: deps.now() });
      return userIds;
    } catch (error) {
      throw listingError(
        error,
        {
          codes: ['no_such_subteam', 'subteam_not_found'],
          code: 'usergroup_not_found',
          message: `Slack has no user group ${usergroupId}.`,
        },
        'Slack did not list the user group members.',
      );
    }
  }

  return {
    /** `maxAgeMs` (default the TTL): how old a cached answer may be; 0 asks Slack now. */
    async expand(usergroupId: string, maxAgeMs = deps.ttlMs): Promise<string[]> {
      const hit = cached.get(usergroupId);
      if (hit && deps.now() - hit.at < maxAgeMs) return [...hit.userIds];
      let pending = inFlight.get(usergroupId);
      if (!pending) {
        pending = fetchMembers(usergroupId).finally(() => inFlight.delete(usergroupId));
        inFlight.set(usergroupId, pending);
      }
      return [...(await pending)];
    },
  };
}
