import { AppError } from './errors.js';
import { pickUserForEmail, type UserMissReason } from './pick-user.js';
import type { KantataGateway } from './ports.js';
import { emailKey, isKantataId, isPlausibleEmail } from './text.js';
import type { KantataUser, PersonRef, Unresolved } from './types.js';

export type ResolvedPerson = { ref: PersonRef; user: KantataUser };

export type Resolution = { users: ResolvedPerson[]; unresolved: Unresolved[] };

export type ResolveOptions = {
  /** Accept disabled Kantata users (removals); otherwise they come back unresolved as `disabled`. */
  allowDisabled?: boolean;
};

function refKey(ref: PersonRef): string {
  if (ref.kind === 'email') return `email:${emailKey(ref.email)}`;
  if (ref.kind === 'kantata_id') return `id:${ref.id.trim()}`;
  return `unresolvable:${ref.reason}:${ref.label}`;
}

function labelOf(ref: PersonRef): string {
  if (ref.label) return ref.label;
  if (ref.kind === 'email') return ref.email.trim();
  if (ref.kind === 'kantata_id') return `id:${ref.id.trim()}`;
  return '';
}

function describeMiss(reason: UserMissReason, ref: PersonRef): string {
  const what = ref.kind === 'email' ? `the email ${ref.email.trim()}` : `the Kantata id ${labelOf(ref)}`;
  if (reason === 'no_kantata_user') return `No Kantata user on the account has ${what}.`;
  if (reason === 'several_matches') return `Several Kantata users have ${what}.`;
  return `The Kantata user with ${what} is disabled.`;
}

/**
 * Turns the people a request named into Kantata users (SPEC §3): emails in one batched lookup (the
 * adapter chunks ≤200 a request), ids in another. Duplicates collapse, including the same Kantata user
 * named twice in different ways. More than `maxPeople` distinct refs is refused with `too_many_people`.
 */
export async function resolvePeople(
  deps: { kantata: KantataGateway; maxPeople: number },
  refs: readonly PersonRef[],
  options: ResolveOptions = {},
): Promise<Resolution> {
  const distinct = new Map<string, PersonRef>();
  for (const ref of refs) if (!distinct.has(refKey(ref))) distinct.set(refKey(ref), ref);
  if (distinct.size > deps.maxPeople) {
    throw new AppError('too_many_people', `A change may name at most ${deps.maxPeople} people.`, {
      max: deps.maxPeople,
      count: distinct.size,
    });
  }

  const emails: string[] = [];
  const ids: string[] = [];
  for (const ref of distinct.values()) {
    if (ref.kind === 'email' && isPlausibleEmail(ref.email)) emails.push(emailKey(ref.email));
    if (ref.kind === 'kantata_id' && isKantataId(ref.id.trim())) ids.push(ref.id.trim());
  }
  const [byEmail, byId] = await Promise.all([
    emails.length > 0 ? deps.kantata.findUsersByEmails(emails) : Promise.resolve([]),
    ids.length > 0 ? deps.kantata.findUsersByIds(ids) : Promise.resolve([]),
  ]);
  const usersById = new Map(byId.map((u) => [u.id, u]));
  // Indexed once: scanning every returned user for each ref made 10,000 emails cost 10^8 comparisons.
  const usersByEmail = new Map<string, KantataUser[]>();
  for (const user of byEmail) {
    const key = emailKey(user.email);
    const same = usersByEmail.get(key);
    if (same) same.push(user);
    else usersByEmail.set(key, [user]);
  }

  const users: ResolvedPerson[] = [];
  const unresolved: Unresolved[] = [];
  const taken = new Set<string>();
  for (const ref of distinct.values()) {
    const pick = pickFor(ref, usersByEmail, usersById, options.allowDisabled ?? false);
    if (pick.ok) {
      if (taken.has(pick.user.id)) continue;
      taken.add(pick.user.id);
      users.push({ ref, user: pick.user });
    } else {
      unresolved.push(pick.unresolved);
    }
  }
  return { users, unresolved };
}

type RefPick = { ok: true; user: KantataUser } | { ok: false; unresolved: Unresolved };

function pickFor(
  ref: PersonRef,
  usersByEmail: ReadonlyMap<string, readonly KantataUser[]>,
  usersById: ReadonlyMap<string, KantataUser>,
  allowDisabled: boolean,
): RefPick {
  const miss = (reason: UserMissReason): RefPick => ({
    ok: false,
    unresolved: { label: labelOf(ref), reason, detail: describeMiss(reason, ref) },
  });
  if (ref.kind === 'unresolvable') {
    return {
      ok: false,
      unresolved: { label: ref.label, reason: ref.reason, ...(ref.detail ? { detail: ref.detail } : {}) },
    };
  }
  if (ref.kind === 'email' && isPlausibleEmail(ref.email)) {
    const pick = pickUserForEmail(ref.email, usersByEmail.get(emailKey(ref.email)) ?? [], allowDisabled);
    return pick.ok ? pick : miss(pick.reason);
  }
  if (ref.kind === 'kantata_id' && isKantataId(ref.id.trim())) {
    const user = usersById.get(ref.id.trim());
    if (!user) return miss('no_kantata_user');
    if (user.disabled && !allowDisabled) return miss('disabled');
    return { ok: true, user };
  }
  const what = ref.kind === 'email' ? 'a valid email address' : 'a valid Kantata id';
  return { ok: false, unresolved: { label: labelOf(ref), reason: 'invalid', detail: `Not ${what}.` } };
}
