import { applyAdd } from './apply-add.js';
import { applyRemove } from './apply-remove.js';
import { type ApplyOptions, createApplyRecorder, uniqueUsers } from './apply-support.js';
import { AppError } from './errors.js';
import { createGroupCatalog } from './group-catalog.js';
import { findGroup, type GroupRef } from './group-finder.js';
import { listMembers, type MemberPage } from './list-members.js';
import { pickUserForEmail, type UserMissReason } from './pick-user.js';
import { planChange } from './plan.js';
import { planSync, type SyncOptions } from './plan-sync.js';
import type { KantataGateway } from './ports.js';
import { type Resolution, type ResolveOptions, resolvePeople } from './resolve-people.js';
import { isPlausibleEmail } from './text.js';
import type { ApplyReport, Group, KantataUser, PersonRef, Plan } from './types.js';

export type { ApplyOptions } from './apply-support.js';
export type { GroupRef } from './group-finder.js';
export type { MemberPage } from './list-members.js';
export type { SyncOptions } from './plan-sync.js';
export type { Resolution, ResolvedPerson, ResolveOptions } from './resolve-people.js';

export type MembershipServiceDeps = {
  kantata: KantataGateway;
  /** MAX_PEOPLE_PER_CHANGE: distinct people one change may name. */
  maxPeoplePerChange: number;
  /** Milliseconds since the epoch; injectable so tests control the group cache. */
  now?: () => number;
  /** How long the list of all groups is reused (type-ahead, suggestions). Default 60 s (SPEC §5). */
  groupCacheTtlMs?: number;
  /**
   * Bulk POSTs started at once while adding. The adapter still caps requests at KANTATA_CONCURRENCY;
   * this only has to be at least that so the adapter is never starved. Default 8.
   */
  batchConcurrency?: number;
};

export type UserLookup = { ok: true; user: KantataUser } | { ok: false; reason: UserMissReason };

/** The membership core (SPEC §5): groups, members, people, plans and their application. */
export type MembershipService = {
  /** One group by exact name (case and extra spaces ignored) or id; `group_not_found` with suggestions. */
  findGroup(ref: GroupRef): Promise<Group>;
  /** Type-ahead over the cached group list: prefix matches, then substring matches, alphabetical. */
  searchGroups(query: string, limit?: number): Promise<Group[]>;
  /** One page of a group's members sorted by name, with the group's total. */
  listMembers(groupId: string, options: { page: number; pageSize: number }): Promise<MemberPage>;
  /** People named by a request → Kantata users; `too_many_people` above MAX_PEOPLE_PER_CHANGE. */
  resolvePeople(refs: readonly PersonRef[], options?: ResolveOptions): Promise<Resolution>;
  /** Preview of adding: who will be added, who already is a member, who could not be resolved. */
  planAdd(group: Group, refs: readonly PersonRef[]): Promise<Plan>;
  /** Preview of removing: who will be removed, who is not a member, who could not be resolved. */
  planRemove(group: Group, refs: readonly PersonRef[]): Promise<Plan>;
  /** Preview of a sync from a source (SPEC §4.7): to add, to remove, unchanged, kept, unresolved. */
  planSync(group: Group, source: readonly PersonRef[], options: SyncOptions): Promise<Plan>;
  /**
   * Applies a plan against Kantata's state at this moment and reports every person's outcome. Kantata
   * failures become `failed` outcomes, never a thrown error; only a failing `onBatch` makes it throw
   * (`store_unavailable`, with the report in `detail.report`).
   */
  applyPlan(plan: Plan, options?: ApplyOptions): Promise<ApplyReport>;
  /** Active account administrator (SPEC §2). */
  isAdministrator(user: KantataUser): boolean;
  /** Exactly one active Kantata user with this email (case-insensitive), or why not. */
  findUserByEmail(email: string): Promise<UserLookup>;
  /** The token owner, if an active administrator; otherwise `bot_not_administrator`. Run at start. */
  checkBotIsAdministrator(): Promise<KantataUser>;
};

/** Builds the membership core over a Kantata gateway. */
export function createMembershipService(deps: MembershipServiceDeps): MembershipService {
  const { kantata } = deps;
  const now = deps.now ?? Date.now;
  const catalog = createGroupCatalog({ kantata, ttlMs: deps.groupCacheTtlMs ?? 60_000, now });
  const people = { kantata, maxPeople: deps.maxPeoplePerChange };
  const batchConcurrency = Math.max(1, deps.batchConcurrency ?? 8);
  const isAdministrator = (user: KantataUser) => !user.disabled && user.isAdministrator;

  async function applyPlan(plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
    const adds = plan.action === 'remove' ? [] : uniqueUsers(plan.toChange);
    const removes = uniqueUsers(plan.action === 'remove' ? plan.toChange : (plan.toRemove ?? []));
    const users = [...adds, ...removes];
    const recorder = createApplyRecorder(users.length, options);
    const resume = options.resume ?? false;
    // A sync adds first, then removes: cut off half-way, the group has gained people, never only lost them.
    if (adds.length > 0) await applyAdd({ kantata, batchConcurrency }, plan.group, adds, recorder, resume);
    if (removes.length > 0) await applyRemove({ kantata }, plan.group, removes, recorder, resume);
    const report = (outcomes: ApplyReport['outcomes']): ApplyReport => ({
      action: plan.action,
      group: plan.group,
      outcomes,
      unresolved: plan.unresolved,
    });
    return report(recorder.finish(users, report));
  }

  return {
    findGroup: (ref) => findGroup({ kantata, catalog }, ref),
    searchGroups: (query, limit = 100) => catalog.search(query, limit),
    listMembers: (groupId, options) => listMembers(kantata, groupId, options),
    resolvePeople: (refs, options) => resolvePeople(people, refs, options),
    planAdd: (group, refs) => planChange(people, 'add', group, refs),
    planRemove: (group, refs) => planChange(people, 'remove', group, refs),
    planSync: (group, source, options) => planSync(people, group, source, options),
    applyPlan,
    isAdministrator,

    async findUserByEmail(email) {
      if (!isPlausibleEmail(email)) return { ok: false, reason: 'no_kantata_user' };
      return pickUserForEmail(email, await kantata.findUsersByEmails([email.trim()]));
    },

    async checkBotIsAdministrator() {
      const me = await kantata.getMe();
      if (isAdministrator(me)) return me;
      const state = me.disabled
        ? 'whose account membership is disabled'
        : 'who is not an account administrator';
      throw new AppError(
        'bot_not_administrator',
        `The Kantata API token belongs to ${me.name} (id ${me.id}), ${state}. Managing group memberships needs the token of an active Kantata account administrator.`,
        { kantataUserId: me.id, name: me.name, disabled: me.disabled },
      );
    },
  };
}
