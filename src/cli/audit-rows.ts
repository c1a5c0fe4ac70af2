import type { AuditEntry, AuditOutcome } from '../approvals/types.js';
import { formatDuration } from '../config/duration.js';
import { type CsvOptions, csvRecord } from './csv.js';

/**
 * The CSV export has one row per person outcome: an entry that changed 30 people is 30 rows that share
 * the entry's columns, which is what a spreadsheet filter or a pivot table needs ("everything that
 * happened to ann@…"). An entry without outcomes (requested, approved, denied, cancelled, expired) is one
 * row with the person columns empty. `id` repeats on the rows of one entry.
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
] as const;

export function auditCsvHeader(): string {
  return csvRecord(AUDIT_CSV_COLUMNS);
}

/** The CSV records of one audit entry (see AUDIT_CSV_COLUMNS); formulas defused unless `raw`. */
export function auditCsvRecords(entry: AuditEntry, options: CsvOptions = {}): string {
  const outcomes: (AuditOutcome | undefined)[] = entry.outcomes.length > 0 ? entry.outcomes : [undefined];
  return outcomes
    .map((o) =>
      csvRecord(
        [
          entry.id,
          entry.at,
          entry.event,
          entry.actor.slackUserId,
          entry.actor.kantataUserId,
          entry.actor.name,
          entry.approver?.slackUserId,
          entry.approver?.kantataUserId,
          entry.approver?.name,
          entry.action,
          entry.groupId,
          entry.groupName,
          o?.userId,
          o?.name,
          o?.email,
          o?.outcome,
          o?.reason,
          entry.reason,
          entry.changeId,
          entry.requestId,
          entry.endsAt ?? (entry.durationMs ? formatDuration(entry.durationMs) : undefined),
        ],
        options,
      ),
    )
    .join('');
}

/** The JSON Lines export has one line per audit entry, exactly as stored (outcomes as an array). */
export function auditJsonLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
