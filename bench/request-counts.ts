import type { RecordedRequest } from '../test/fakes/fake-kantata/index.js';
import type { RecordedCall } from '../test/fakes/fake-slack/index.js';

/** Kantata requests grouped by what they are for (SPEC §5), from the fake's request log. */
export type KantataCounts = {
  total: number;
  /** `GET /users` by email or id (people lookups). */
  userLookups: number;
  /** `GET /users/me` and `GET /users?by_email_address=` of the acting user (identity checks). */
  identity: number;
  /** `GET /user_group_memberships` with `user_ids` (who of these is a member). */
  membershipReads: number;
  /** `GET /user_group_memberships` without `user_ids` (a group's member list). */
  memberPages: number;
  /** `GET /workspace_groups…` */
  groups: number;
  posts: number;
  deletes: number;
  other: number;
};

export function countKantata(requests: readonly RecordedRequest[]): KantataCounts {
  const counts: KantataCounts = {
    total: requests.length,
    userLookups: 0,
    identity: 0,
    membershipReads: 0,
    memberPages: 0,
    groups: 0,
    posts: 0,
    deletes: 0,
    other: 0,
  };
  for (const r of requests) counts[kindOf(r)] += 1;
  return counts;
}

type Kind = Exclude<keyof KantataCounts, 'total'>;

function kindOf(r: RecordedRequest): Kind {
  if (r.method === 'POST') return 'posts';
  if (r.method === 'DELETE') return 'deletes';
  if (r.method !== 'GET') return 'other';
  if (r.path === '/users/me' || (r.path === '/users' && r.query.by_email_address !== undefined))
    return 'identity';
  if (r.path === '/users') return 'userLookups';
  if (r.path === '/user_group_memberships')
    return r.query.user_ids === undefined ? 'memberPages' : 'membershipReads';
  if (r.path.startsWith('/workspace_groups')) return 'groups';
  return 'other';
}

/** "5 lookups, 5 reads, 10 POST" — the non-zero kinds, for the table. */
export function describeKantata(c: KantataCounts): string {
  const parts: [number, string][] = [
    [c.userLookups, 'user lookups'],
    [c.identity, 'identity'],
    [c.membershipReads, 'membership reads'],
    [c.memberPages, 'member pages'],
    [c.groups, 'group reads'],
    [c.posts, 'POST'],
    [c.deletes, 'DELETE'],
    [c.other, 'other'],
  ];
  const shown = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return shown.length > 0 ? shown.join(', ') : 'none';
}

/** Slack Web API calls by method: `{ 'users.list': 25, 'chat.postMessage': 2 }`. */
export function countSlack(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
  return counts;
}

export function describeSlack(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length > 0 ? entries.map(([method, n]) => `${n} ${method}`).join(', ') : 'none';
}
