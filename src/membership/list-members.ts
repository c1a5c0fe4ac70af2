import type { KantataGateway, MembershipWithUser } from './ports.js';
import { compareNames } from './text.js';
import type { KantataUser } from './types.js';

/** One page of a group's members, sorted by name. */
export type MemberPage = {
  members: KantataUser[];
  /** Members in the whole group. */
  total: number;
  page: number;
  pageCount: number;
};

function compareUsers(a: KantataUser, b: KantataUser): number {
  return compareNames(a.name, b.name) || compareNames(a.email, b.email) || a.id.localeCompare(b.id);
}

/**
 * Keeps only the first `capacity` users in name order. Fed page by page, it holds at most `capacity`
 * users however big the group is: that is what keeps memory flat for a 5,000-member group (SPEC §8).
 */
class FirstInOrder {
  readonly items: KantataUser[] = [];
  constructor(private readonly capacity: number) {}

  offer(user: KantataUser): void {
    const last = this.items[this.items.length - 1];
    if (this.items.length >= this.capacity && last && compareUsers(user, last) >= 0) return;
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareUsers(this.items[mid]!, user) <= 0) low = mid + 1;
      else high = mid;
    }
    this.items.splice(low, 0, user);
    if (this.items.length > this.capacity) this.items.pop();
  }
}

async function* membershipPages(
  kantata: KantataGateway,
  groupId: string,
): AsyncIterable<MembershipWithUser[]> {
  if (kantata.memberPages) {
    yield* kantata.memberPages(groupId);
    return;
  }
  yield await kantata.listMemberships({ groupId });
}

/**
 * One page of a group's members by name (`GET /user_group_memberships?group_ids=G&include=user`). Streams
 * through the gateway's `memberPages` when it has one and keeps only what the requested page needs.
 */
export async function listMembers(
  kantata: KantataGateway,
  groupId: string,
  options: { page: number; pageSize: number },
): Promise<MemberPage> {
  const pageSize = Math.max(1, Math.floor(options.pageSize));
  const page = Math.max(1, Math.floor(options.page));
  const keep = new FirstInOrder(page * pageSize);
  const seen = new Set<string>();
  const withoutUser: string[] = [];
  for await (const batch of membershipPages(kantata, groupId)) {
    for (const membership of batch) {
      if (seen.has(membership.userId)) continue;
      seen.add(membership.userId);
      if (membership.user) keep.offer(membership.user);
      else withoutUser.push(membership.userId);
    }
  }
  // The adapter includes users; should one be missing (a user hidden from `include`), fetch it by id.
  if (withoutUser.length > 0) {
    for (const user of await kantata.findUsersByIds(withoutUser)) keep.offer(user);
  }
  const total = seen.size;
  return {
    members: keep.items.slice((page - 1) * pageSize, page * pageSize),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}
