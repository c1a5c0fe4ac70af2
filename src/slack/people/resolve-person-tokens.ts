import type { PersonRef } from '../../membership/types.js';
import { mapWithConcurrency } from '../../util/map-with-concurrency.js';
import type { PersonToken } from '../grammar/types.js';
import { type ProfileLookup, profileToPersonRef, type TargetRules } from './profile-to-person-ref.js';
import { isSlackPeopleError } from './slack-people-error.js';

/** What resolution needs from the directory. */
export type PeopleSource = {
  getProfiles(ids: readonly string[]): Promise<Map<string, ProfileLookup>>;
  expandUsergroup(usergroupId: string): Promise<string[]>;
  /** Member ids of a channel (conversations.members); throws `channel_not_visible` when the bot cannot see it. */
  expandChannel(channelId: string): Promise<string[]>;
};

/** Several user groups or channels in one command are expanded side by side, but never many at once (Tier 2). */
const EXPAND_CONCURRENCY = 3;

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
  const groups = await expandAll(source, tokens);
  const userIds: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'slack_user') userIds.push(t.userId);
    if (t.kind === 'slack_usergroup' || t.kind === 'channel')
      userIds.push(...(groups.get(expandKey(t)) ?? []));
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
        const members = groups.get(expandKey(t));
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
      case 'channel': {
        const members = groups.get(expandKey(t));
        const label = channelLabel(t.channelId, t.label);
        if (members === undefined) out.add({ kind: 'unresolvable', label, reason: 'channel_not_visible' });
        else if (members.length === 0) {
          out.add({ kind: 'unresolvable', label, reason: 'invalid', detail: 'This channel has no members.' });
        } else {
          // Bots and guests in the channel come back unresolved with their reason (never silently dropped).
          for (const id of members) addSlackUser(id, undefined);
        }
        break;
      }
      case 'invalid':
        out.add({ kind: 'unresolvable', label: t.text, reason: 'invalid' });
        break;
    }
  }
  return out.refs;
}

type Expandable = Extract<PersonToken, { kind: 'slack_usergroup' | 'channel' }>;

function expandKey(t: Expandable): string {
  return t.kind === 'channel' ? `channel:${t.channelId}` : `usergroup:${t.usergroupId}`;
}

/** Members of every user group and channel named; one Slack does not show us maps to undefined. */
async function expandAll(
  source: PeopleSource,
  tokens: readonly PersonToken[],
): Promise<Map<string, string[]>> {
  const named = new Map<string, Expandable>();
  for (const t of tokens)
    if (t.kind === 'slack_usergroup' || t.kind === 'channel') named.set(expandKey(t), t);
  const members = new Map<string, string[]>();
  await mapWithConcurrency([...named], EXPAND_CONCURRENCY, async ([key, t]) => {
    try {
      members.set(key, await expandSource(source, t));
    } catch (error) {
      // An unknown group or hidden channel is the requester's to fix and shows in the preview; anything else
      // is Slack failing.
      if (!(isSlackPeopleError(error) && isRequesterFixable(error.code))) throw error;
    }
  });
  return members;
}

/** The Slack ids of a user group's or channel's members. */
export function expandSource(source: Omit<PeopleSource, 'getProfiles'>, t: Expandable): Promise<string[]> {
  return t.kind === 'channel' ? source.expandChannel(t.channelId) : source.expandUsergroup(t.usergroupId);
}

function isRequesterFixable(code: string): boolean {
  return code === 'usergroup_not_found' || code === 'channel_not_visible';
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
