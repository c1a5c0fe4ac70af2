import * as z from 'zod';
import { createListReader, kantataIdSchema } from './list-reader.js';

/**
 * zod schemas of the Kantata objects the adapter reads (Swagger definitions `User`, `AccountMembership`,
 * `WorkspaceGroup`, `UserWorkspaceGroup`). Plain `z.object` strips what we do not use; what we use is checked.
 */

export const userSchema = z.object({
  full_name: z.string().nullish(),
  email_address: z.string(),
  // Present only with `include=account_membership`.
  account_membership_id: kantataIdSchema.nullish(),
});

export const accountMembershipSchema = z.object({
  is_administrator: z.boolean().nullish(),
  permission: z.string().nullish(),
  disabled_at: z.string().nullish(),
});

export const workspaceGroupSchema = z.object({
  name: z.string(),
});

/** `user_id` / `workspace_group_id` are `int` in the spec; numbers and numeric strings are both accepted. */
export const userGroupMembershipSchema = z.object({
  user_id: kantataIdSchema,
  workspace_group_id: kantataIdSchema,
});

export type KantataUserRecord = z.output<typeof userSchema> & { id: string };
export type AccountMembershipRecord = z.output<typeof accountMembershipSchema> & { id: string };

export const readUsersPage = createListReader('users', userSchema, {
  account_memberships: accountMembershipSchema,
});
export const readGroupsPage = createListReader('workspace_groups', workspaceGroupSchema);
export const readMembershipsPage = createListReader('user_group_memberships', userGroupMembershipSchema, {
  users: userSchema,
});
