import type { PersonRef } from '../../membership/types.js';
import { mapWithConcurrency } from '../../util/map-with-concurrency.js';
import type { PersonToken } from '../grammar/types.js';
import { type ProfileLookup, profileToPersonRef, type TargetRules } from './profile-to-person-ref.js';
import { isSlackPeopleError } from './slack-people-error.js';

/** What resolution needs from the directory. */
export type PeopleSource = {
  getProfiles(ids: readonly string[]): Promise<Map<string, ProfileLookup>>;
  expandUsergroup(usergroupId: string): Promise<string[]>;
};

/** Several user groups in one command are expanded side by side, but never many at once (Tier 2). */
const USERGROUP_CONCURRENCY = 3;

/**
 * Turns the grammar's person tokens into the core's `PersonRef`s, in the order they were named.
 * All Slack user ids (mentioned directly or through user groups) are looked up in one batch, so the
 * number of Slack calls does not grow with the number of people. Duplicates collapse: the same Slack
 * user twice, or a Slack user and the email they have.
 */
export async function resolvePersonTokens(
  source: PeopleSource,
  tokens: readonly PersonToken[],
  rules: TargetRules,
): Promise<PersonRef[]> {
  const groups = await expandGroups(source, tokens);
  const userIds: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'slack_user') userIds.push(t.userId);
    if (t.kind === 'slack_usergroup') userIds.push(...(groups.get(t.usergroupId) ?? []));
  }
  const lookups = userIds.length > 0 ? await source.getProfiles(userIds) : new Map<string, ProfileLookup>();
  const out = new RefCollector();
  const addSlackUser = (userId: string, label: string | undefined) => {
    const lookup = lookups.get(userId) ?? { status: 'unknown' };
    out.add(profileToPersonRef(lookup, label ?? userId, rules), `slack:${userId}`);
  };

  for (const t of tokens) {
    switch (t.kind) {
      case 'slack_user':
        addSlackUser(t.userId, t.label);
        break;
      case 'slack_usergroup': {
        const members = groups.get(t.usergroupId);
        const label = t.label ?? t.usergroupId;
        if (members === undefined) {
          out.add({
            kind: 'unresolvable',
            label,
            reason: 'invalid',
            detail: 'Slack has no such user group.',
          });
        } else if (members.length === 0) {
          out.add({
            kind: 'unresolvable',
            label,
            reason: 'invalid',
            detail: 'This Slack user group has no members.',
          });
        } else {
          for (const id of members) addSlackUser(id, undefined);
        }
        break;
      }
      case 'email': {
        const email = t.email.trim().toLowerCase();
        out.add({ kind: 'email', email, label: email });
        break;
      }
      case 'kantata_id':
        out.add({ kind: 'kantata_id', id: t.id, label: `id:${t.id}` });
        break;
      case 'channel':
        out.add({
          kind: 'unresolvable',
          label: channelLabel(t.channelId, t.label),
          reason: 'channel_not_supported',
        });
        break;
      case 'invalid':
        out.add({ kind: 'unresolvable', label: t.text, reason: 'invalid' });
        break;
    }
  }
  return out.refs;
}

/** Members of every user group named; a group Slack does not know maps to undefined. */
async function expandGroups(
  source: PeopleSource,
  tokens: readonly PersonToken[],
): Promise<Map<string, string[]>> {
  const ids = [...new Set(tokens.flatMap((t) => (t.kind === 'slack_usergroup' ? [t.usergroupId] : [])))];
  const groups = new Map<string, string[]>();
  await mapWithConcurrency(ids, USERGROUP_CONCURRENCY, async (id) => {
    try {
      groups.set(id, await source.expandUsergroup(id));
    } catch (error) {
      // An unknown group is the requester's mistake and shows in the preview; anything else is Slack failing.
      if (!(isSlackPeopleError(error) && error.code === 'usergroup_not_found')) throw error;
    }
  });
  return groups;
}

function channelLabel(channelId: string, label: string | undefined): string {
  if (!label) return channelId;
  return label.startsWith('#') ? label : `#${label}`;
}

/** Keeps the first of each person, by email, Kantata id, Slack id or (for misses) label and reason. */
class RefCollector {
  readonly refs: PersonRef[] = [];
  private readonly seen = new Set<string>();

  add(ref: PersonRef, slackKey?: string): void {
    // Two different Slack bots may share a name: a Slack miss is identified by its Slack id alone.
    const keys =
      ref.kind === 'unresolvable' && slackKey ? [slackKey] : [refKey(ref), ...(slackKey ? [slackKey] : [])];
    if (keys.some((k) => this.seen.has(k))) return;
    for (const k of keys) this.seen.add(k);
    this.refs.push(ref);
  }
}

function refKey(ref: PersonRef): string {
  if (ref.kind === 'email') return `email:${ref.email}`;
  if (ref.kind === 'kantata_id') return `id:${ref.id}`;
  return `miss:${ref.reason}:${ref.label}`;
}
