import { AppError } from './errors.js';
import type { KantataGateway } from './ports.js';
import { resolvePeople } from './resolve-people.js';
import { emailKey } from './text.js';
import type { Group, KantataUser, PersonRef, Plan, Unresolved, UnresolvedReason } from './types.js';

/** The most people a sync source may hold (a 100,000-member channel); the change itself obeys maxPeople. */
export const MAX_SYNC_SOURCE_PEOPLE = 100_000;

/**
 * Source people whose identity is not known at all (Slack could not say who they are, or has no email for
 * them): any member of the group might be one of them, so a run with such people removes nobody.
 */
const IDENTITY_UNKNOWN: ReadonlySet<UnresolvedReason> = new Set(['unknown_slack_user', 'no_slack_email']);

export type SyncOptions = { addOnly: boolean };

/**
 * The preview of making a group's members those of a source (SPEC §4.7), against Kantata's current state:
 * to add (in the source, not members), to remove (members not in the source), unchanged (in both), and the
 * source people who could not be resolved. An unresolved source person never causes a removal: a member
 * whose email an unresolved source person has is kept, and when some source people cannot be identified at
 * all, nobody is removed. The number of people changed (added + removed) is held to `maxPeople`.
 */
export async function planSync(
  deps: { kantata: KantataGateway; maxPeople: number },
  group: Group,
  source: readonly PersonRef[],
  options: SyncOptions,
): Promise<Plan> {
  const [resolution, memberships] = await Promise.all([
    // Disabled users are resolved: one who is a member stays (the source still names them), never re-added.
    resolvePeople({ kantata: deps.kantata, maxPeople: MAX_SYNC_SOURCE_PEOPLE }, source, {
      allowDisabled: true,
    }),
    deps.kantata.listMemberships({ groupId: group.id }),
  ]);
  const members = new Map<string, KantataUser>();
  for (const m of memberships) {
    if (m.groupId === group.id && !members.has(m.userId))
      members.set(m.userId, m.user ?? unknownUser(m.userId));
  }
  const toAdd: KantataUser[] = [];
  const unchanged: KantataUser[] = [];
  const unresolved: Unresolved[] = [...resolution.unresolved];
  const inSource = new Set<string>();
  for (const { user } of resolution.users) {
    inSource.add(user.id);
    if (members.has(user.id)) unchanged.push(user);
    else if (user.disabled) unresolved.push(disabledMiss(user));
    else toAdd.push(user);
  }
  const sourceEmails = new Set(source.flatMap(emailOf));
  const holdAll = options.addOnly || unresolved.some((u) => IDENTITY_UNKNOWN.has(u.reason));
  const toRemove: KantataUser[] = [];
  const kept: KantataUser[] = [];
  for (const [id, user] of members) {
    if (inSource.has(id)) continue;
    if (holdAll || sourceEmails.has(emailKey(user.email))) kept.push(user);
    else toRemove.push(user);
  }
  const changes = toAdd.length + toRemove.length;
  if (changes > deps.maxPeople) {
    throw new AppError('too_many_people', `A change may name at most ${deps.maxPeople} people.`, {
      max: deps.maxPeople,
      count: changes,
    });
  }
  return {
    action: 'sync',
    group,
    toChange: toAdd,
    toRemove,
    unchanged,
    unresolved,
    kept,
    addOnly: options.addOnly,
  };
}

/**
 * A sync plan of exact lists (an approval planned again, an Undo): of `add`, who is not a member now; of
 * `remove`, who still is. Built from the two one-direction plans.
 */
export function mergeSyncPlan(
  addPlan: Plan,
  removePlan: Plan,
  carried: Pick<Plan, 'kept' | 'addOnly'> = {},
): Plan {
  return {
    action: 'sync',
    group: addPlan.group,
    toChange: addPlan.toChange,
    toRemove: removePlan.toChange,
    unchanged: addPlan.unchanged,
    unresolved: [...addPlan.unresolved, ...removePlan.unresolved],
    kept: carried.kept ?? [],
    addOnly: carried.addOnly ?? false,
  };
}

function emailOf(ref: PersonRef): string[] {
  if (ref.kind === 'email') return [emailKey(ref.email)];
  if (ref.kind === 'unresolvable' && ref.email) return [emailKey(ref.email)];
  return [];
}

function disabledMiss(user: KantataUser): Unresolved {
  return {
    label: user.email || user.name,
    reason: 'disabled',
    detail: `The Kantata user with the email ${user.email} is disabled.`,
  };
}

/** A membership whose user Kantata did not include: still a member, known by id only. */
function unknownUser(id: string): KantataUser {
  return { id, name: `id:${id}`, email: '', disabled: false, isAdministrator: false };
}
