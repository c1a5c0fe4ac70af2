import { AppError } from '../membership/errors.js';
import type { KantataGateway, MembershipWithUser } from '../membership/ports.js';
import type { Group, KantataUser, Membership } from '../membership/types.js';
import { chunk } from '../util/chunk.js';
import type { KantataClient, KantataQuery } from './kantata-client.js';
import { isKantataError, KantataError } from './kantata-error.js';
import { toGroup, toKantataUser, toMembership } from './mappers.js';
import { readGroupsPage, readMembershipsPage, readUsersPage } from './schemas.js';

/** Longest id or email list in one query string (Kantata's `by_email_addresses` limit; keeps URLs short). */
export const MAX_IDS_PER_REQUEST = 200;
/** Kantata's bulk-create limit for `POST /user_group_memberships`. */
export const MAX_MEMBERSHIPS_PER_POST = 100;

const USER_QUERY = { on_my_account: true, show_disabled: true, include: 'account_membership' } as const;

/**
 * Implements the core's `KantataGateway` over a `KantataClient`. Paging, chunking of long id lists and
 * mapping to domain types happen here; retries, deadlines and the concurrency limit in the client.
 */
export function createKantataGateway(client: KantataClient): KantataGateway {
  const listGroups = async (query: KantataQuery): Promise<Group[]> => {
    const pages = await client.getAllPages('/workspace_groups', query);
    return pages.flatMap((page) => readGroupsPage(page).items.map(toGroup));
  };

  const listUsers = async (query: KantataQuery): Promise<KantataUser[]> => {
    const pages = await client.getAllPages('/users', { ...USER_QUERY, ...query });
    return pages.flatMap((page) => {
      const { items, included } = readUsersPage(page);
      return items.map((user) => toKantataUser(user, included.account_memberships));
    });
  };

  const findUsers = async (
    filter: 'by_email_addresses' | 'only',
    values: string[],
  ): Promise<KantataUser[]> => {
    const chunks = chunk(values, MAX_IDS_PER_REQUEST);
    const results = await Promise.all(chunks.map((part) => listUsers({ [filter]: part.join(',') })));
    return uniqueById(results.flat());
  };

  const membershipsQuery = (groupId: string, userIds?: string[]): KantataQuery => ({
    group_ids: groupId,
    ...(userIds === undefined ? {} : { user_ids: userIds.join(',') }),
    include: 'user',
  });

  const readMemberships = (page: unknown): MembershipWithUser[] => {
    const { items, included } = readMembershipsPage(page);
    return items.map((membership) => toMembership(membership, included.users));
  };

  return {
    searchGroups: (matching) => listGroups({ matching }),

    listAllGroups: () => listGroups({}),

    async getGroup(id) {
      try {
        const body = await client.get(`/workspace_groups/${encodeURIComponent(id)}`);
        return readGroupsPage(body).items.map(toGroup)[0] ?? null;
      } catch (error) {
        if (isKantataError(error) && error.code === 'kantata_not_found') return null;
        throw error;
      }
    },

    async listMemberships({ groupId, userIds }) {
      if (userIds === undefined) {
        const pages = await client.getAllPages('/user_group_memberships', membershipsQuery(groupId));
        return pages.flatMap(readMemberships);
      }
      const ids = unique(userIds);
      const results = await Promise.all(
        chunk(ids, MAX_IDS_PER_REQUEST).map(async (part) => {
          const pages = await client.getAllPages('/user_group_memberships', membershipsQuery(groupId, part));
          return pages.flatMap(readMemberships);
        }),
      );
      return results.flat();
    },

    async *memberPages(groupId) {
      for await (const page of client.pages('/user_group_memberships', membershipsQuery(groupId))) {
        yield readMemberships(page);
      }
    },

    findUsersByEmails: (emails) => findUsers('by_email_addresses', uniqueCaseless(emails)),

    findUsersByIds: (ids) => findUsers('only', unique(ids)),

    async getMe() {
      const body = await client.get('/users/me', { include: 'account_membership' });
      const { items, included } = readUsersPage(body);
      const me = items[0];
      if (me === undefined) {
        throw new KantataError('kantata_bad_response', 'Kantata sent no user for GET /users/me', {
          detail: { method: 'GET', path: '/users/me' },
        });
      }
      return toKantataUser(me, included.account_memberships);
    },

    async createMemberships(groupId, userIds) {
      if (userIds.length > MAX_MEMBERSHIPS_PER_POST) {
        throw new AppError(
          'invalid_input',
          `At most ${MAX_MEMBERSHIPS_PER_POST} memberships can be created in one request (got ${userIds.length})`,
        );
      }
      if (userIds.length === 0) return [];
      const workspaceGroupId = toInt(groupId, 'group id');
      const body = {
        user_group_memberships: userIds.map((userId) => ({
          user_id: toInt(userId, 'user id'),
          workspace_group_id: workspaceGroupId,
        })),
      };
      const response = await client.post('/user_group_memberships', body);
      return readMembershipsPage(response).items.map(
        (m): Membership => ({ id: m.id, userId: m.user_id, groupId: m.workspace_group_id }),
      );
    },

    async deleteMembership(membershipId) {
      await client.delete(`/user_group_memberships/${encodeURIComponent(membershipId)}`);
    },
  };
}

/** Kantata ids are decimal strings; the POST body wants integers. */
function toInt(id: string, what: string): number {
  const value = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(value)) {
    throw new AppError('invalid_input', `Not a Kantata ${what}: ${JSON.stringify(id)}`);
  }
  return value;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function uniqueCaseless(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const value of values) {
    const key = value.trim().toLowerCase();
    if (key !== '' && !seen.has(key)) seen.set(key, value.trim());
  }
  return [...seen.values()];
}

function uniqueById(users: KantataUser[]): KantataUser[] {
  return [...new Map(users.map((user) => [user.id, user])).values()];
}
