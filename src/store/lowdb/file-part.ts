import type { AuditEntry } from '../../approvals/types.js';
import type { StoreData } from './file-data.js';

/** Runs `mutate` in the store's commit queue; resolves once what it changed is on disk. */
export type Write = <T>(mutate: (d: StoreData) => { value: T; changed: boolean }) => Promise<T>;

/** What a part of the embedded store (links, owners, ends, standing syncs) is given by file-store.ts. */
export type FilePartContext = {
  /** The live state (throws once the store is closed). */
  data: () => StoreData;
  write: Write;
  /** The live file must be written by this commit. */
  markLive: () => void;
  /** Appends this audit row to the history in the same commit. */
  queueAudit: (d: StoreData, entry: AuditEntry) => void;
};
