import type { Actor } from '../types.js';
import type { OwnerRef } from './owner-ref.js';

export type { OwnerRef } from './owner-ref.js';

/** What owners of a group may do (SPEC §6 `OWNERS_MAY`). */
export const OWNERS_MAY_VALUES = ['approve', 'apply', 'none'] as const;
export type OwnersMay = (typeof OWNERS_MAY_VALUES)[number];

/** The owners of one group (live state: kept until the last owner is removed). */
export type GroupOwners = {
  groupId: string;
  groupName: string;
  owners: OwnerRef[];
  updatedAt: string;
  updatedBy: Actor;
};

/** What an owner may do with the group they own now: decide requests, also apply their own, or nothing. */
export type OwnerPower = 'approve' | 'apply' | null;

/** One owner's identity, for de-duplication and removal. */
export function ownerKey(owner: Pick<OwnerRef, 'kind' | 'id'>): string {
  return `${owner.kind}:${owner.id}`;
}
