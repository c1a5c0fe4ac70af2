import type { LinkAuditEntry } from '../membership/ports.js';
import type { ApplyReport, ChangeAction, Group, PersonOutcome, Plan } from '../membership/types.js';
import type { Actor } from './actor.js';
import type { ExpiryInfo, MembershipTerm } from './expiry/types.js';
import type { OwnerRef } from './owners/owner-ref.js';

/**
 * The life of one change (SPEC §4.1, §4.3):
 *
 *   previewed ──Apply──────────────────────────────┐
 *      │ └─Request──▶ pending ──Approve──▶ approved ─┴▶ applying ──▶ applied | partially_applied | failed
 *      │               │  └──Deny──▶ denied
 *      │               ├──Cancel──▶ cancelled
 *      └──Cancel──▶ cancelled           └──TTL──▶ expired
 *
 * Every arrow is one atomic conditional update in the store, so double clicks, Slack retries and
 * several replicas can never take the same arrow twice.
 */
export type ChangeStatus =
  | 'previewed'
  | 'pending'
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'expired'
  | 'applying'
  | 'applied'
  | 'partially_applied'
  | 'failed';

export const FINAL_STATUSES: readonly ChangeStatus[] = [
  'denied',
  'cancelled',
  'expired',
  'applied',
  'partially_applied',
  'failed',
];

export type { Actor } from './actor.js';

export type Change = {
  id: string;
  status: ChangeStatus;
  action: ChangeAction;
  group: Group;
  /** The preview as shown when the change was made. Approval plans again against Kantata's current state. */
  plan: Plan;
  requestedBy: Actor;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  /** For pending requests: when it expires (REQUEST_TTL). */
  expiresAt?: string;
  decidedBy?: Actor;
  decidedAt?: string;
  decisionReason?: string;
  appliedBy?: Actor;
  appliedAt?: string;
  /** Journal: outcomes recorded batch by batch while applying, so a crash loses nothing. */
  outcomes?: PersonOutcome[];
  /** The final per-person report once applied. */
  report?: ApplyReport;
  /** This change undoes that one. */
  undoOf?: string;
  /** That change undid this one. */
  undoneBy?: string;
  /** Undos of this change that changed nobody (every DELETE failed): each leaves Undo available again. */
  undoFailures?: number;
  /** Where the change is shown (opaque to the core: Slack channel/ts pairs, response URLs). */
  locations?: Record<string, string>;
  /** Who is working on the change while it is `approved` or `applying`, and until when (see `Lease`). */
  lease?: Lease;
  /** Delivery of the channel notification (SPEC §4.4): retried until posted. */
  notification?: NotificationState;
  /** An add for a time (SPEC §4.6): how long; none means permanent. */
  term?: MembershipTerm;
  /** At preview: the recorded ends of the people named (user id → end), for "end moves from … to …". */
  currentEnds?: Record<string, string>;
  /** A sync (SPEC §4.7): where its people came from. */
  syncSource?: SyncSource;
  /** A sync made with `--keep`: once applied, it becomes the group's standing sync. */
  keep?: boolean;
  /** A run of a standing sync; `brake` when it waits for an administrator (Apply this run / Skip it). */
  standingSync?: {
    groupId: string;
    /**
     * `unreadable_source`: the run could not read its source, so nothing was planned (`detail` says why);
     * Apply this run reads it again at the click.
     */
    brake?: {
      reason: 'too_many_removals' | 'empty_source' | 'unreadable_source';
      removals: number;
      detail?: string;
    };
  };
  /** A due removal made by the bot at the end of temporary memberships (no Undo; announced as ended). */
  expiry?: ExpiryInfo;
  /**
   * The announcements this change owes besides the channel notification, recorded by the core in the
   * same atomic write as the transition that owes them, and delivered (retried until posted) by the
   * transport's announcer. Each key is delivered once.
   */
  outbox?: Partial<Record<Announcement, NotificationState>>;
};

/**
 * Where a sync's people come from, opaque to the core: `key` identifies the source to the transport that
 * reads it again (a Slack user group, a channel, a file), `label` is what people are shown (`@design-team`).
 */
export type SyncSource = { key: string; label: string };

/**
 * What a request's end owes: the approvers see how it ended where they decide (its card and thread), the
 * group's owners in the direct messages they were sent with its buttons, and the requester is told
 * directly. (The channel notice of an applied change is `Change.notification`.)
 */
export const ANNOUNCEMENTS = ['decided:approvers', 'decided:owners', 'decided:requester'] as const;
export type Announcement = (typeof ANNOUNCEMENTS)[number];

/** The outbox a request's final transition writes: everything of `ANNOUNCEMENTS`, not yet delivered. */
export function owedOnDecision(): NonNullable<Change['outbox']> {
  return Object.fromEntries(ANNOUNCEMENTS.map((key) => [key, { status: 'pending', attempts: 0 }]));
}

/**
 * Ownership of a running change. The owner (one bot process) renews `until` while it works; another process
 * takes the change over only once `until` has passed, atomically (`ChangeStore.claimChange`), and then
 * continues from what Kantata holds. `renewedAt` lets the embedded store tell a lease of a process that
 * held its file before this one (and is therefore gone) from a live one.
 */
export type Lease = { owner: string; until: string; renewedAt: string };

export type NotificationState = {
  status: 'pending' | 'posted' | 'failed';
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
};

export type TransitionResult = { ok: true; change: Change } | { ok: false; current: Change | null };

export type AuditEvent =
  | 'requested'
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'expired'
  | 'applied'
  | 'partially_applied'
  | 'failed'
  | 'recovered'
  /** The bot stopped trying to post something the change owed Slack (see `ChangeAuditEntry.delivery`). */
  | 'delivery_given_up'
  /** An administrator added (`action: add`) or removed owners of a group (SPEC §4.8); no change record. */
  | 'owners_changed';

export type AuditOutcome = {
  userId: string;
  name: string;
  email: string;
  outcome: PersonOutcome['outcome'];
  reason?: string;
};

/**
 * One append-only audit row (SPEC §4.5): a step in the life of a change, or a link / unlink of who is who.
 * The event tells them apart (`isChangeAudit`); rows written before links were audited are all changes'.
 */
export type AuditEntry = ChangeAuditEntry | LinkAuditEntry;

export function isChangeAudit(entry: AuditEntry): entry is ChangeAuditEntry {
  return entry.event !== 'linked' && entry.event !== 'unlinked';
}

/** The audit row of one step of a change. */
export type ChangeAuditEntry = {
  id: string;
  at: string;
  event: AuditEvent;
  actor: Actor;
  approver?: Actor;
  action: ChangeAction;
  groupId: string;
  groupName: string;
  outcomes: AuditOutcome[];
  reason?: string;
  changeId: string;
  /** Set when the change went through a request. */
  requestId?: string;
  /**
   * The end of a temporary add: the instant once applied (the earliest of the people's ends), the term's
   * own end while only requested (`for 7d` has none yet: it counts from the approval).
   */
  endsAt?: string;
  /** A `--for` / extension length, for a requested add whose end is not known yet. */
  durationMs?: number;
  /** `delivery_given_up`: what was not posted, after how many attempts, and Slack's last answer. */
  delivery?: GivenUpDelivery;
  /** `owners_changed`: the owners this entry added or removed. */
  owners?: OwnerRef[];
};

/** What a change owes Slack: its channel notice, or one of its outbox's announcements. */
export type Delivery = 'notification' | Announcement;

export type GivenUpDelivery = { delivery: Delivery; attempts: number; lastError?: string };
