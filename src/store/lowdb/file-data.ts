import { existsSync } from 'node:fs';
import type { Low } from 'lowdb';
import { z } from 'zod';
import type { AuditEntry, Change } from '../../approvals/types.js';
import type { IdentityLink } from '../../membership/ports.js';
import { auditEntrySchema, changeSchema, describeZodError, identityLinkSchema } from '../schemas.js';

/** The whole JSON file. `version` lets a later release migrate the file, or refuse one it cannot read. */
export type StoreData = {
  version: 1;
  changes: Record<string, Change>;
  /** Append-only, oldest first. */
  audit: AuditEntry[];
  /** key → expiry, epoch milliseconds. */
  processedKeys: Record<string, number>;
  identityLinks: Record<string, IdentityLink>;
};

export const STORE_FILE_VERSION = 1;

export function emptyStoreData(): StoreData {
  return { version: STORE_FILE_VERSION, changes: {}, audit: [], processedKeys: {}, identityLinks: {} };
}

const storeDataSchema = z.object({
  version: z.literal(STORE_FILE_VERSION),
  changes: z.record(z.string(), changeSchema),
  audit: z.array(auditEntrySchema),
  processedKeys: z.record(z.string(), z.number()),
  identityLinks: z.record(z.string(), identityLinkSchema),
});

const LEFT_UNTOUCHED =
  'The file was left untouched. Restore it from a backup, or move it away to start with an empty store.';

/**
 * Reads the file into `db.data` and checks it. A file that cannot be read as a store is never
 * overwritten: the error names the file, says what is wrong and what to do.
 */
export async function loadStoreData(db: Low<StoreData>, path: string): Promise<'loaded' | 'new'> {
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
  db.data = parseStoreData(db.data, path);
  return 'loaded';
}

export function parseStoreData(raw: unknown, path: string): StoreData {
  const version =
    typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > STORE_FILE_VERSION) {
    throw new Error(
      `The store file ${path} was written by a newer version of the bot (file version ${version}, ` +
        `this version reads ${STORE_FILE_VERSION}). Run the newer version, or restore a backup.`,
    );
  }
  const parsed = storeDataSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `The store file ${path} is not a valid store: ${describeZodError(parsed.error)}. ${LEFT_UNTOUCHED}`,
    );
  }
  return parsed.data;
}
