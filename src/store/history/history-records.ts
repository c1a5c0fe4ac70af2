import { z } from 'zod';
import { toAuditOutcomes } from '../../approvals/audit-entry.js';
import {
  type AuditEntry,
  type AuditOutcome,
  type Change,
  type ChangeAuditEntry,
  isChangeAudit,
} from '../../approvals/types.js';
import type { LinkAuditEntry } from '../../membership/ports.js';
import type { ApplyReport, KantataUser, PersonOutcome } from '../../membership/types.js';
import type { ChangePatch } from '../change-patch.js';
import { auditEntrySchema, changeSchema, describeZodError } from '../schemas.js';

/**
 * One line of the append-only history. Each person's outcome is written once, in the change's report:
 * the plan names the people of the report by id, and an audit row whose outcomes are those of the report
 * says so (`outcomes: "report"`) instead of repeating them.
 *
 * - `change`: a finished change, as it was when it left the live state.
 * - `audit`: one audit row.
 * - `patch`: later updates of a finished change (undone by, notification state, locations).
 */
export type HistoryRecord =
  | { k: 'change'; change: StoredChange }
  | { k: 'audit'; audit: StoredAudit }
  | { k: 'patch'; id: string; patch: ChangePatch };

/** A plan's people as ids of the report's people, or whole where the report does not have them. */
type StoredUser = KantataUser | string;
/**
 * One person's outcome as a short array, `[id, name, email, outcome, flags, reason?]` (flags: 1 disabled,
 * 2 administrator): the keys of the object form were half of the history's size. An outcome with fields
 * this version does not know stays an object.
 */
type OutcomeTuple = [string, string, string, PersonOutcome['outcome'], number, string?];
type StoredReport = Omit<ApplyReport, 'outcomes'> & { outcomes: (PersonOutcome | OutcomeTuple)[] };
export type StoredChange = Omit<Change, 'plan' | 'outcomes' | 'report'> & {
  plan: Omit<Change['plan'], 'toChange' | 'unchanged'> & { toChange: StoredUser[]; unchanged: StoredUser[] };
  report?: StoredReport;
};
export type StoredAudit =
  | (Omit<ChangeAuditEntry, 'outcomes'> & { outcomes: ChangeAuditEntry['outcomes'] | 'report' })
  | LinkAuditEntry;

export function compactChange(change: Change): StoredChange {
  // The ends recorded at preview only served the preview; the report and audit keep what happened.
  const { outcomes: _journal, currentEnds: _ends, plan, ...rest } = change;
  const reported = new Map((change.report?.outcomes ?? []).map((o) => [o.user.id, o.user]));
  const byId = (user: KantataUser): StoredUser => (sameUser(reported.get(user.id), user) ? user.id : user);
  const { report, ...others } = rest;
  return {
    ...others,
    ...(report ? { report: { ...report, outcomes: report.outcomes.map(toTuple) } } : {}),
    plan: { ...plan, toChange: plan.toChange.map(byId), unchanged: plan.unchanged.map(byId) },
  };
}

function toTuple(o: PersonOutcome): PersonOutcome | OutcomeTuple {
  const known =
    Object.keys(o).every((k) => k === 'user' || k === 'outcome' || k === 'reason') &&
    Object.keys(o.user).length === 5;
  if (!known) return o;
  const flags = (o.user.disabled ? 1 : 0) | (o.user.isAdministrator ? 2 : 0);
  const tuple: OutcomeTuple = [o.user.id, o.user.name, o.user.email, o.outcome, flags];
  if (o.reason !== undefined) tuple.push(o.reason);
  return tuple;
}

function fromTuple(o: PersonOutcome | OutcomeTuple): PersonOutcome {
  if (!Array.isArray(o)) return o;
  const [id, name, email, outcome, flags, reason] = o;
  const user = { id, name, email, disabled: (flags & 1) !== 0, isAdministrator: (flags & 2) !== 0 };
  return reason === undefined ? { user, outcome } : { user, outcome, reason };
}

export function expandChange(stored: StoredChange, where: string): Change {
  const report = stored.report
    ? { ...stored.report, outcomes: stored.report.outcomes.map(fromTuple) }
    : undefined;
  const reported = new Map((report?.outcomes ?? []).map((o) => [o.user.id, o.user]));
  const user = (u: StoredUser): KantataUser => {
    if (typeof u !== 'string') return u;
    const found = reported.get(u);
    if (!found) throw new Error(`${where}: the plan names ${u}, who is not in the report`);
    return found;
  };
  const change = {
    ...stored,
    ...(report ? { report } : {}),
    plan: {
      ...stored.plan,
      toChange: stored.plan.toChange.map(user),
      unchanged: stored.plan.unchanged.map(user),
    },
  };
  const parsed = changeSchema.safeParse(change);
  if (!parsed.success) throw new Error(`${where} is not a valid change: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** `change`: the change the row is about, if at hand; its report may carry the row's outcomes. */
export function compactAudit(entry: AuditEntry, change: Change | undefined): StoredAudit {
  if (!isChangeAudit(entry)) return entry;
  const report = change && change.id === entry.changeId ? change.report : undefined;
  if (report && entry.outcomes.length > 0 && sameOutcomes(toAuditOutcomes(report.outcomes), entry.outcomes)) {
    return { ...entry, outcomes: 'report' };
  }
  return entry;
}

export function expandAudit(stored: StoredAudit, change: Change | null, where: string): AuditEntry {
  let outcomes = 'outcomes' in stored ? stored.outcomes : undefined;
  if (outcomes === 'report' && 'changeId' in stored) {
    if (!change?.report) throw new Error(`${where}: the report of change ${stored.changeId} is missing`);
    outcomes = toAuditOutcomes(change.report.outcomes);
  }
  const parsed = auditEntrySchema.safeParse(outcomes === undefined ? stored : { ...stored, outcomes });
  if (!parsed.success)
    throw new Error(`${where} is not a valid audit row: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

const recordShape = z.discriminatedUnion('k', [
  z.object({ k: z.literal('change'), change: z.object({ id: z.string().min(1) }).passthrough() }),
  z.object({
    k: z.literal('audit'),
    // Link rows have no change or group (the full check happens when the row is read).
    audit: z
      .object({
        id: z.string().min(1),
        changeId: z.string().optional(),
        groupId: z.string().optional(),
        at: z.string(),
      })
      .passthrough(),
  }),
  z.object({ k: z.literal('patch'), id: z.string().min(1), patch: z.record(z.string(), z.unknown()) }),
]);

/** Checks the shape a line needs to be indexed; the full check happens when the record is read. */
export function parseHistoryLine(line: string): HistoryRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = recordShape.safeParse(value);
  return parsed.success ? (parsed.data as unknown as HistoryRecord) : null;
}

function sameUser(a: KantataUser | undefined, b: KantataUser): boolean {
  return (
    a !== undefined &&
    a.id === b.id &&
    a.name === b.name &&
    a.email === b.email &&
    a.disabled === b.disabled &&
    a.isAdministrator === b.isAdministrator
  );
}

/**
 * The same outcomes, field by field, as their JSON would compare (a field holding `undefined` is absent):
 * for 10,000 people two JSON texts of a megabyte each were 6.5 ms of the commit that finishes the change.
 */
function sameOutcomes(a: readonly AuditOutcome[], b: readonly AuditOutcome[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.userId !== y.userId || x.name !== y.name || x.email !== y.email || x.outcome !== y.outcome) {
      return false;
    }
    if (x.reason !== y.reason || definedKeys(x) !== definedKeys(y)) return false;
  }
  return true;
}

function definedKeys(value: object): number {
  let count = 0;
  for (const v of Object.values(value)) if (v !== undefined) count += 1;
  return count;
}
