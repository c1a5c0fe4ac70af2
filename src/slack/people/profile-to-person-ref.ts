import type { PersonRef } from '../../membership/types.js';
import type { SlackProfile } from './slack-profile.js';

/** What the directory knows about one Slack user id. */
export type ProfileLookup =
  | { status: 'found'; profile: SlackProfile }
  /** Slack says there is no such user (`user_not_found`). */
  | { status: 'unknown' }
  /** Not in the snapshot, and over this resolution's budget of users.info calls. */
  | { status: 'not_looked_up' }
  /** users.info failed (rate limit, network…). */
  | { status: 'failed'; slackError?: string };

export type TargetRules = {
  /** Lower-cased domains, no `@`; empty = any. Applied to emails read from Slack profiles. */
  emailDomains: ReadonlySet<string>;
  allowGuests: boolean;
  /** This app's own workspace (auth.test); a profile of another team is never matched. */
  ownTeamId?: string;
};

/**
 * One Slack user as a change target. Bots, deactivated users and profiles without an email cannot be
 * matched to a Kantata user. Guests are refused as targets too: SPEC §4.1 lists "guest" among the reasons a
 * person cannot be part of a change (`allowGuests: true` lets them through for teams that want that).
 */
export function profileToPersonRef(
  lookup: ProfileLookup,
  fallbackLabel: string,
  rules: TargetRules,
): PersonRef {
  if (lookup.status === 'unknown') return miss(fallbackLabel, 'unknown_slack_user');
  if (lookup.status === 'not_looked_up') {
    return miss(
      fallbackLabel,
      'unknown_slack_user',
      'Too many people the bot did not know yet were named at once, so Slack was not asked about this one; try again in a few minutes.',
    );
  }
  if (lookup.status === 'failed') {
    return miss(
      fallbackLabel,
      'unknown_slack_user',
      'Slack did not answer when asked who this is; try again.',
    );
  }
  const p = lookup.profile;
  if (p.isBot) return miss(p.name, 'bot');
  // Another organization controls this person's email: matching it could name anyone in Kantata.
  if (p.isExternal || (rules.ownTeamId && p.teamId && p.teamId !== rules.ownTeamId)) {
    return miss(p.name, 'external_user');
  }
  if (p.deleted) return miss(p.name, 'deactivated_slack_user');
  if (p.isGuest && !rules.allowGuests) return miss(p.name, 'guest');
  if (!p.email) return miss(p.name, 'no_slack_email');
  const email = p.email.trim().toLowerCase();
  if (rules.emailDomains.size > 0 && !rules.emailDomains.has(domainOf(email))) {
    return miss(p.name, 'email_domain_not_allowed', email);
  }
  return { kind: 'email', email, label: p.name };
}

function miss(
  label: string,
  reason: Extract<PersonRef, { kind: 'unresolvable' }>['reason'],
  detail?: string,
): PersonRef {
  return detail === undefined
    ? { kind: 'unresolvable', label, reason }
    : { kind: 'unresolvable', label, reason, detail };
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export function toTargetRules(
  opts: { emailDomains?: readonly string[]; allowGuests?: boolean } = {},
): TargetRules {
  return {
    emailDomains: new Set(
      (opts.emailDomains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter((d) => d !== ''),
    ),
    allowGuests: opts.allowGuests ?? false,
  };
}
