import type { z } from 'zod';
import type { GroupOwners } from '../../approvals/owners/types.js';
import type { AuditEntry, Change } from '../../approvals/types.js';
import type { IdentityLink } from '../../membership/ports.js';
import {
  auditEntrySchema,
  changeSchema,
  describeZodError,
  groupOwnersSchema,
  identityLinkSchema,
} from '../schemas.js';

/** Rows as `pg` returns them: jsonb arrives parsed, bigserial as a string. */
export type ChangeRow = { id: string; status: string; data: unknown; outcomes?: unknown };
export type AuditRow = { seq: string; data: unknown };
export type LinkRow = { slack_user_id: string; data: unknown };

/** The columns are the truth for the fields that have one (they are what the conditional updates test). */
export function parseChangeRow(row: ChangeRow): Change {
  const data = typeof row.data === 'object' && row.data !== null ? row.data : {};
  // The journal of a running change comes from change_outcomes (null for one not running).
  const journal = Array.isArray(row.outcomes) ? { outcomes: row.outcomes } : {};
  return parseRow(
    changeSchema,
    { ...data, ...journal, id: row.id, status: row.status },
    `changes row ${row.id}`,
  );
}

export function parseAuditRow(row: AuditRow): AuditEntry {
  return parseRow(auditEntrySchema, row.data, `audit row ${row.seq}`);
}

export function parseLinkRow(row: LinkRow): IdentityLink {
  return parseRow(identityLinkSchema, row.data, `identity_links row ${row.slack_user_id}`);
}

export type OwnersRow = { group_id: string; data: unknown };

export function parseOwnersRow(row: OwnersRow): GroupOwners {
  return parseRow(groupOwnersSchema, row.data, `group_owners row ${row.group_id}`);
}

function parseRow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`The PostgreSQL store holds an invalid ${what}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
