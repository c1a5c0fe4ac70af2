import { z } from 'zod';
import type { MembershipEnd } from '../approvals/expiry/types.js';
import type { GroupOwners } from '../approvals/owners/types.js';
import type { StandingSync } from '../approvals/standing-sync/types.js';
import { ANNOUNCEMENTS, type AuditEntry, type Change } from '../approvals/types.js';
import type { IdentityLink } from '../membership/ports.js';
import { UNRESOLVED_REASON_CODES } from '../membership/types.js';

/**
 * zod schemas of what the stores persist. Both backends parse every record they read back (a JSON file
 * edited by hand, a row written by an older version) so that a bad record is a clear error, not a crash
 * somewhere in the core. The `z.ZodType<…>` annotations make tsc check them against the core types.
 */

const kantataUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  isAdministrator: z.boolean(),
});

const groupSchema = z.object({ id: z.string(), name: z.string() });

const changeActionSchema = z.enum(['add', 'remove', 'sync']);

const unresolvedSchema = z.object({
  label: z.string(),
  reason: z.enum(UNRESOLVED_REASON_CODES),
  detail: z.string().optional(),
});

export const personOutcomeSchema = z.object({
  user: kantataUserSchema,
  outcome: z.enum(['added', 'already_member', 'removed', 'not_member', 'failed']),
  reason: z.string().optional(),
});

const actorSchema = z.object({
  slackUserId: z.string(),
  kantataUserId: z.string().optional(),
  name: z.string().optional(),
});

const termSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('for'), ms: z.number().int().positive() }),
  z.object({ kind: z.literal('until'), at: z.string() }),
  z.object({ kind: z.literal('extend'), ms: z.number().int().positive() }),
]);

const expiryInfoSchema = z.object({
  dueAt: z.string(),
  ends: z.array(
    z.object({
      userId: z.string(),
      endsAt: z.string(),
      addedAt: z.string(),
      addedBy: actorSchema,
      approvedBy: actorSchema.optional(),
      failures: z.number().int().nonnegative().optional(),
    }),
  ),
});

export const membershipEndSchema: z.ZodType<MembershipEnd> = z.object({
  groupId: z.string().min(1),
  userId: z.string().min(1),
  groupName: z.string(),
  user: kantataUserSchema,
  endsAt: z.string(),
  setBy: z.string(),
  addedAt: z.string(),
  addedBy: actorSchema,
  approvedBy: actorSchema.optional(),
  reminder: z.object({ claimedUntil: z.string().optional(), sentAt: z.string().optional() }).optional(),
  claim: z.object({ changeId: z.string(), owner: z.string(), until: z.string() }).optional(),
  failures: z.number().int().nonnegative().optional(),
  lastError: z.string().optional(),
});

const syncSourceSchema = z.object({ key: z.string(), label: z.string() });

export const standingSyncSchema: z.ZodType<StandingSync> = z.object({
  groupId: z.string().min(1),
  groupName: z.string(),
  source: syncSourceSchema,
  addOnly: z.boolean(),
  createdBy: actorSchema,
  createdAt: z.string(),
  nextRunAt: z.string(),
  lastRun: z
    .object({
      at: z.string(),
      outcome: z.enum([
        'applied',
        'partially_applied',
        'failed',
        'unchanged',
        'braked',
        'waiting',
        'unreadable',
        'paused',
      ]),
      changeId: z.string().optional(),
      added: z.number().int().nonnegative().optional(),
      removed: z.number().int().nonnegative().optional(),
      detail: z.string().optional(),
    })
    .optional(),
  paused: z.object({ at: z.string(), reason: z.string() }).optional(),
  waitingFor: z.string().optional(),
  claim: z.object({ owner: z.string(), until: z.string() }).optional(),
});

export const changeStatusSchema = z.enum([
  'previewed',
  'pending',
  'approved',
  'denied',
  'cancelled',
  'expired',
  'applying',
  'applied',
  'partially_applied',
  'failed',
]);

export const changeSchema: z.ZodType<Change> = z.object({
  id: z.string().min(1),
  status: changeStatusSchema,
  action: changeActionSchema,
  group: groupSchema,
  plan: z.object({
    action: changeActionSchema,
    group: groupSchema,
    toChange: z.array(kantataUserSchema),
    unchanged: z.array(kantataUserSchema),
    unresolved: z.array(unresolvedSchema),
    toRemove: z.array(kantataUserSchema).optional(),
    kept: z.array(kantataUserSchema).optional(),
    addOnly: z.boolean().optional(),
  }),
  syncSource: syncSourceSchema.optional(),
  keep: z.boolean().optional(),
  standingSync: z
    .object({
      groupId: z.string(),
      brake: z
        .object({
          reason: z.enum(['too_many_removals', 'empty_source', 'unreadable_source']),
          removals: z.number().int().nonnegative(),
          detail: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  requestedBy: actorSchema,
  reason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().optional(),
  decidedBy: actorSchema.optional(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  appliedBy: actorSchema.optional(),
  appliedAt: z.string().optional(),
  outcomes: z.array(personOutcomeSchema).optional(),
  report: z
    .object({
      action: changeActionSchema,
      group: groupSchema,
      outcomes: z.array(personOutcomeSchema),
      unresolved: z.array(unresolvedSchema),
    })
    .optional(),
  undoOf: z.string().optional(),
  undoneBy: z.string().optional(),
  undoFailures: z.number().int().nonnegative().optional(),
  locations: z.record(z.string(), z.string()).optional(),
  lease: z.object({ owner: z.string(), until: z.string(), renewedAt: z.string() }).optional(),
  notification: z
    .object({
      status: z.enum(['pending', 'posted', 'failed']),
      attempts: z.number().int().nonnegative(),
      nextAttemptAt: z.string().optional(),
      lastError: z.string().optional(),
    })
    .optional(),
  term: termSchema.optional(),
  currentEnds: z.record(z.string(), z.string()).optional(),
  expiry: expiryInfoSchema.optional(),
  outbox: z
    .partialRecord(
      z.enum(ANNOUNCEMENTS),
      z.object({
        status: z.enum(['pending', 'posted', 'failed']),
        attempts: z.number().int().nonnegative(),
        nextAttemptAt: z.string().optional(),
        lastError: z.string().optional(),
      }),
    )
    .optional(),
});

const ownerRefSchema = z.object({
  kind: z.enum(['person', 'people_group']),
  id: z.string().min(1),
  label: z.string().optional(),
});

export const groupOwnersSchema: z.ZodType<GroupOwners> = z.object({
  groupId: z.string().min(1),
  groupName: z.string(),
  owners: z.array(ownerRefSchema),
  updatedAt: z.string(),
  updatedBy: actorSchema,
});

const changeAuditSchema = z.object({
  id: z.string().min(1),
  at: z.string(),
  event: z.enum([
    'requested',
    'approved',
    'denied',
    'cancelled',
    'expired',
    'applied',
    'partially_applied',
    'failed',
    'recovered',
    'delivery_given_up',
    'owners_changed',
  ]),
  actor: actorSchema,
  approver: actorSchema.optional(),
  action: changeActionSchema,
  groupId: z.string(),
  groupName: z.string(),
  outcomes: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      outcome: personOutcomeSchema.shape.outcome,
      reason: z.string().optional(),
    }),
  ),
  reason: z.string().optional(),
  changeId: z.string(),
  requestId: z.string().optional(),
  endsAt: z.string().optional(),
  durationMs: z.number().int().positive().optional(),
  delivery: z
    .object({
      delivery: z.enum(['notification', ...ANNOUNCEMENTS]),
      attempts: z.number().int().nonnegative(),
      lastError: z.string().optional(),
    })
    .optional(),
  owners: z.array(ownerRefSchema).optional(),
});

const linkAuditSchema = z.object({
  id: z.string().min(1),
  at: z.string(),
  event: z.enum(['linked', 'unlinked']),
  actor: actorSchema,
  slackUserId: z.string().min(1),
  kantataUserId: z.string().min(1),
  kantataUserName: z.string().optional(),
  kantataUserEmail: z.string().optional(),
});

/** Rows of every version read: those written before links were audited are all changes' rows. */
export const auditEntrySchema: z.ZodType<AuditEntry> = z.discriminatedUnion('event', [
  changeAuditSchema,
  linkAuditSchema,
]);

export const identityLinkSchema: z.ZodType<IdentityLink> = z.object({
  slackUserId: z.string().min(1),
  kantataUserId: z.string().min(1),
  linkedBy: z.string(),
  linkedAt: z.string(),
});

/** "changes.abc.plan.toChange[3].email: Invalid input" — the first few problems, for one-line errors. */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, key) =>
        typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
      prefix,
    );
    return `${path || '(root)'}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}
