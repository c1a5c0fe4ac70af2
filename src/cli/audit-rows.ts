import {
  type AuditEntry,
  type AuditOutcome,
  type ChangeAuditEntry,
  isChangeAudit,
} from '../approvals/types.js';
import { formatDuration } from '../config/duration.js';
import type { LinkAuditEntry } from '../membership/ports.js';
import { type CsvOptions, csvRecord } from './csv.js';

/**
 * The CSV export has one row per person outcome: an entry that changed 30 people is 30 rows that share
 * the entry's columns, which is what a spreadsheet filter or a pivot table needs ("everything that
 * happened to ann@…"). An entry without outcomes (requested, approved, denied, cancelled, expired) is one
 * row with the person columns empty. `id` repeats on the rows of one entry. A link or unlink is one row:
 * the Slack user in `slack_user_id`, the Kantata user in the person columns, no group or change.
 * New columns are only ever added at the end, so a spreadsheet built on an older export keeps working.
 */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'event',
  'actor_slack_id',
  'actor_kantata_id',
  'actor_name',
  'approver_slack_id',
  'approver_kantata_id',
  'approver_name',
  'action',
  'group_id',
  'group_name',
  'user_id',
  'user_name',
  'user_email',
  'outcome',
  'outcome_reason',
  'reason',
  'change_id',
  'request_id',
  // A temporary add's end (ISO); on a request not yet approved for a `--for`, its length (e.g. `7d`) instead.
  'ends_at',
  // Links and unlinks: the Slack user whose link it is.
  'slack_user_id',
  // A delivery given up: what was not posted (notification, decided:approvers, decided:requester), after
  // how many attempts, and Slack's last answer.
  'delivery',
  'delivery_attempts',
  'delivery_error',
  // `owners_changed`: the owners added or removed, `person:U…` / `people_group:S…` (Slack users / user groups).
  'owners',
] as const;

export function auditCsvHeader(): string {
  return csvRecord(AUDIT_CSV_COLUMNS);
}

type CsvRow = Partial<Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number>>;

/** The CSV records of one audit entry (see AUDIT_CSV_COLUMNS); formulas defused unless `raw`. */
export function auditCsvRecords(entry: AuditEntry, options: CsvOptions = {}): string {
  const rows = isChangeAudit(entry) ? changeRows(entry) : [linkRow(entry)];
  return rows.map((row) => csvRecordOf({ ...commonColumns(entry), ...row }, options)).join('');
}

function csvRecordOf(row: CsvRow, options: CsvOptions): string {
  return csvRecord(
    AUDIT_CSV_COLUMNS.map((column) => row[column]),
    options,
  );
}

function changeRows(entry: ChangeAuditEntry): CsvRow[] {
  const shared: CsvRow = {
    approver_slack_id: entry.approver?.slackUserId,
    approver_kantata_id: entry.approver?.kantataUserId,
    approver_name: entry.approver?.name,
    action: entry.action,
    group_id: entry.groupId,
    group_name: entry.groupName,
    reason: entry.reason,
    change_id: entry.changeId,
    request_id: entry.requestId,
    ends_at: entry.endsAt ?? (entry.durationMs ? formatDuration(entry.durationMs) : undefined),
    delivery: entry.delivery?.delivery,
    delivery_attempts: entry.delivery?.attempts,
    delivery_error: entry.delivery?.lastError,
    owners: entry.owners?.map((o) => `${o.kind}:${o.id}`).join(' '),
  };
  if (entry.outcomes.length === 0) return [shared];
  return entry.outcomes.map((o: AuditOutcome) => ({
    ...shared,
    user_id: o.userId,
    user_name: o.name,
    user_email: o.email,
    outcome: o.outcome,
    outcome_reason: o.reason,
  }));
}

function linkRow(entry: LinkAuditEntry): CsvRow {
  return {
    user_id: entry.kantataUserId,
    user_name: entry.kantataUserName,
    user_email: entry.kantataUserEmail,
    slack_user_id: entry.slackUserId,
  };
}

/** `id` to `actor_name`: every entry has them. */
function commonColumns(entry: AuditEntry): CsvRow {
  return {
    id: entry.id,
    at: entry.at,
    event: entry.event,
    actor_slack_id: entry.actor.slackUserId,
    actor_kantata_id: entry.actor.kantataUserId,
    actor_name: entry.actor.name,
  };
}

/** The JSON Lines export has one line per audit entry, exactly as stored (outcomes as an array). */
export function auditJsonLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
