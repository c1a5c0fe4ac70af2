import { emailKey } from './text.js';
import type { KantataUser } from './types.js';

/** Why an email or id does not lead to exactly one usable Kantata user. */
export type UserMissReason = 'no_kantata_user' | 'several_matches' | 'disabled';

export type UserPick = { ok: true; user: KantataUser } | { ok: false; reason: UserMissReason };

/**
 * Picks the Kantata user an email stands for among the users Kantata returned (disabled ones included).
 * Exactly one active user wins even beside disabled namesakes; several active ones are ambiguous. With
 * `allowDisabled` (removals), a single disabled user is accepted, since leaving them in a group helps no one.
 */
export function pickUserForEmail(
  email: string,
  candidates: readonly KantataUser[],
  allowDisabled = false,
): UserPick {
  const key = emailKey(email);
  const matches = candidates.filter((u) => emailKey(u.email) === key);
  if (matches.length === 0) return { ok: false, reason: 'no_kantata_user' };
  const active = matches.filter((u) => !u.disabled);
  if (active.length === 1) return { ok: true, user: active[0]! };
  if (active.length > 1) return { ok: false, reason: 'several_matches' };
  if (matches.length > 1) return { ok: false, reason: 'several_matches' };
  return allowDisabled ? { ok: true, user: matches[0]! } : { ok: false, reason: 'disabled' };
}
