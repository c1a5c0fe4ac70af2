import type { ChangeAuditEntry } from '../types.js';
import type { GroupOwners } from './types.js';

/** What one edit of a group's owners writes: the new owners (null: none left) and its audit row. */
export type OwnersEdit = { next: GroupOwners | null; audit: ChangeAuditEntry } | null;

/** Group owners (SPEC §4.8), live state in both stores. */
export interface GroupOwnerStore {
  getOwners(groupId: string): Promise<GroupOwners | null>;
  /** Every group that has owners, by group id. Few (one record per owned group), so read whole. */
  listGroupOwners(): Promise<GroupOwners[]>;
  /**
   * Reads the owners of a group and writes what `edit` makes of them, with its audit row, in one atomic
   * write: two administrators editing the same group at once never lose each other's owners. `edit` is
   * pure; null means nothing changes (nothing is written). Returns the owners before and after.
   */
  editOwners(
    groupId: string,
    edit: (current: GroupOwners | null) => OwnersEdit,
  ): Promise<{ before: GroupOwners | null; after: GroupOwners | null }>;
}
