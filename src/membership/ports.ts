import type { Group, KantataUser, Membership } from './types.js';

/**
 * What the membership core needs from Kantata. Implemented over HTTP in `src/kantata/`.
 * The adapter owns paging, `per_page=200`, chunking of long id lists (≤200 a request), concurrency
 * limits, retries and deadlines; the core owns planning, bulk splitting and reconciliation.
 */
export interface KantataGateway {
  /** `GET /workspace_groups?matching=…`, all pages. */
  searchGroups(matching: string): Promise<Group[]>;
  /** Every workspace group on the account (for type-ahead caching and suggestions). */
  listAllGroups(): Promise<Group[]>;
  /** `GET /workspace_groups/{id}`; null on 404. */
  getGroup(id: string): Promise<Group | null>;
  /**
   * `GET /user_group_memberships?group_ids=G[&user_ids=…]&include=user`, all pages.
   * With `userIds`, only those users' memberships (chunked ≤200 ids a request).
   */
  listMemberships(query: { groupId: string; userIds?: string[] }): Promise<MembershipWithUser[]>;
  /** Streams a group's members page by page (for large groups: memory stays flat). */
  memberPages?(groupId: string): AsyncIterable<MembershipWithUser[]>;
  /**
   * `GET /users?on_my_account=true&by_email_addresses=…&include=account_membership&show_disabled=true`,
   * chunked ≤200 emails a request. Returns every user whose email matches (case-insensitively), disabled ones too.
   */
  findUsersByEmails(emails: string[]): Promise<KantataUser[]>;
  /** `GET /users?on_my_account=true&only=…&include=account_membership&show_disabled=true`. */
  findUsersByIds(ids: string[]): Promise<KantataUser[]>;
  /** `GET /users/me?include=account_membership`. */
  getMe(): Promise<KantataUser>;
  /**
   * Exactly one `POST /user_group_memberships` with at most 100 entries. Never retried by the adapter
   * on an unknown outcome: it throws `kantata_timeout` / `kantata_unavailable` and the core reconciles.
   */
  createMemberships(groupId: string, userIds: string[]): Promise<Membership[]>;
  /** `DELETE /user_group_memberships/{id}`; throws `kantata_not_found` on 404. */
  deleteMembership(membershipId: string): Promise<void>;
}

export type MembershipWithUser = Membership & { user?: KantataUser };

/** Explicit Slack → Kantata links made with `/groups link` (SPEC §2). */
export interface IdentityLinkStore {
  getLink(slackUserId: string): Promise<IdentityLink | null>;
  /** Stores the link and its audit row in one atomic write: neither exists without the other. */
  setLink(link: IdentityLink, audit: LinkAuditEntry): Promise<void>;
  /**
   * Removes the link and, if there was one, appends the audit row `audit` builds from it, in one atomic
   * write (two admins unlinking at once: one removes and is audited, the other gets false).
   */
  removeLink(slackUserId: string, audit: (removed: IdentityLink) => LinkAuditEntry): Promise<boolean>;
}

/**
 * The audit row of `/groups link` or `unlink` (SPEC §4.5: links decide who acts as whom, so they are
 * audited like changes). Part of the audit log's `AuditEntry`; its events are its discriminator.
 */
export type LinkAuditEntry = {
  id: string;
  at: string;
  event: 'linked' | 'unlinked';
  /** The administrator who linked or unlinked (the same shape as a change's actor). */
  actor: { slackUserId: string; kantataUserId?: string; name?: string };
  /** The Slack user whose link this is. */
  slackUserId: string;
  /** The Kantata user they were linked to (for `unlinked`, the one of the removed link). */
  kantataUserId: string;
  /** The Kantata user's name and email when linked (an unlink names the id only: no lookup is made). */
  kantataUserName?: string;
  kantataUserEmail?: string;
};

export type IdentityLink = {
  slackUserId: string;
  kantataUserId: string;
  linkedBy: string;
  linkedAt: string;
};
