import { existsSync } from 'node:fs';
import type { Low } from 'lowdb';
import { z } from 'zod';
import type { MembershipEnd } from '../../approvals/expiry/types.js';
import type { GroupOwners } from '../../approvals/owners/types.js';
import type { StandingSync } from '../../approvals/standing-sync/types.js';
import type { AuditEntry, Change } from '../../approvals/types.js';
import type { IdentityLink } from '../../membership/ports.js';
import {
  auditEntrySchema,
  changeSchema,
  describeZodError,
  groupOwnersSchema,
  identityLinkSchema,
  membershipEndSchema,
  standingSyncSchema,
} from '../schemas.js';

/**
 * The live state file (version 2): only what is alive. Finished changes and the audit log are in the
 * append-only history beside it, the outcomes of running changes in their journals.
 */
export type StoreData = {
  version: 2;
  /** Changes not yet finished, and finished ones whose announcement is still pending. */
  changes: Record<string, Change>;
  /** key → expiry, epoch milliseconds. */
  processedKeys: Record<string, number>;
  identityLinks: Record<string, IdentityLink>;
  /** Ends of temporary memberships by `endKeyOf` (absent in files written before they existed). */
  ends: Record<string, MembershipEnd>;
  /** Standing syncs by group id (absent in files written before they existed). */
  standingSyncs: Record<string, StandingSync>;
  /** Owners of groups by group id (absent in files written before they existed). */
  owners: Record<string, GroupOwners>;
};

/** What version 1 (everything in this one file) held; read once, to migrate it. */
export type StoreDataV1 = {
  version: 1;
  changes: Record<string, Change>;
  audit: AuditEntry[];
  processedKeys: Record<string, number>;
  identityLinks: Record<string, IdentityLink>;
};

export const STORE_FILE_VERSION = 2;

/** Where the parts of a file store live, next to `store.json`. */
export function storeParts(file: string) {
  return { history: `${file}.history`, journal: `${file}.journal`, backupV1: `${file}.v1-backup` };
}

export function emptyStoreData(): StoreData {
  return {
    version: STORE_FILE_VERSION,
    changes: {},
    processedKeys: {},
    identityLinks: {},
    ends: {},
    standingSyncs: {},
    owners: {},
  };
}

const common = {
  changes: z.record(z.string(), changeSchema),
  processedKeys: z.record(z.string(), z.number()),
  identityLinks: z.record(z.string(), identityLinkSchema),
};
const storeDataSchema = z.object({
  version: z.literal(2),
  ...common,
  ends: z.record(z.string(), membershipEndSchema).default({}),
  standingSyncs: z.record(z.string(), standingSyncSchema).default({}),
  owners: z.record(z.string(), groupOwnersSchema).default({}),
});
const storeDataV1Schema = z.object({ version: z.literal(1), audit: z.array(auditEntrySchema), ...common });

const LEFT_UNTOUCHED =
  'The file was left untouched. Restore it from a backup, or move it away to start with an empty store.';

/**
 * Reads the file into `db.data` and checks it. A file that cannot be read as a store is never
 * overwritten: the error names the file, says what is wrong and what to do. A version 1 file is returned
 * for migration (and `db.data` left empty).
 */
export async function loadStoreData(
  db: Low<StoreData>,
  path: string,
): Promise<'loaded' | 'new' | { legacy: StoreDataV1 }> {
  // lowdb keeps the defaults when the adapter returns nothing, and also when the file holds `null` or
  // `0`: start from nothing to tell those apart from a missing file.
  const existed = existsSync(path);
  db.data = undefined as unknown as StoreData;
  try {
    await db.read();
  } catch (error) {
    const why =
      error instanceof SyntaxError
        ? `is not valid JSON (${error.message})`
        : `cannot be read (${String(error)})`;
    throw new Error(`The store file ${path} ${why}. ${LEFT_UNTOUCHED}`, { cause: error });
  }
  if (!existed && !db.data) {
    db.data = emptyStoreData();
    return 'new';
  }
  const parsed = parseStoreData(db.data, path);
  if (parsed.version === 1) {
    db.data = emptyStoreData();
    return { legacy: parsed };
  }
  db.data = parsed;
  return 'loaded';
}

export function parseStoreData(raw: unknown, path: string): StoreData | StoreDataV1 {
  const version =
    typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > STORE_FILE_VERSION) {
    throw new Error(
      `The store file ${path} was written by a newer version of the bot (file version ${version}, ` +
        `this version reads ${STORE_FILE_VERSION}). Run the newer version, or restore a backup.`,
    );
  }
  const parsed = (version === 1 ? storeDataV1Schema : storeDataSchema).safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `The store file ${path} is not a valid store: ${describeZodError(parsed.error)}. ${LEFT_UNTOUCHED}`,
    );
  }
  return parsed.data;
}

/** The file as written: a running change's outcomes are in its journal, not here. */
export function stringifyStoreData(data: StoreData): string {
  const changes: Record<string, Change> = {};
  for (const [id, change] of Object.entries(data.changes)) {
    changes[id] = change.outcomes?.length ? { ...change, outcomes: [] } : change;
  }
  return JSON.stringify({ ...data, changes });
}
