import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { isEmailAddress } from './email.js';
import type { Token } from './tokenize.js';
import type { PersonToken } from './types.js';

// Each pattern is a run of one character class up to a delimiter that class cannot match: no backtracking.
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;
const USERGROUP_MENTION = /^<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>$/;
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/;
const MAILTO = /^<mailto:([^|>?]*)(?:\?[^|>]*)?(?:\|([^>]*))?>$/i;
const KANTATA_ID = /^id:(\d{1,20})$/i;

/** What one token names. Never throws: anything not understood becomes `invalid`, kept for the reply. */
export function classifyPerson(token: Token): PersonToken {
  if (token.kind === 'angle') return classifyAngle(token.raw);
  const text = unescapeSlackText(token.raw).trim();
  return classifyWord(text) ?? { kind: 'invalid', text: token.kind === 'quoted' ? `"${text}"` : text };
}

/** `id:NNN` → the id without leading zeros (so `id:007` and `id:7` are one person), else undefined. */
export function parseKantataId(text: string): string | undefined {
  const match = KANTATA_ID.exec(text);
  if (!match?.[1]) return undefined;
  return match[1].replace(/^0+(?=\d)/, '');
}

/** Same person named twice (same kind and id or email) collapses to the first mention. */
export function personKey(person: PersonToken): string {
  switch (person.kind) {
    case 'slack_user':
      return `slack_user:${person.userId}`;
    case 'slack_usergroup':
      return `slack_usergroup:${person.usergroupId}`;
    case 'email':
      return `email:${person.email}`;
    case 'kantata_id':
      return `kantata_id:${person.id}`;
    case 'channel':
      return `channel:${person.channelId}`;
    case 'invalid':
      return `invalid:${person.text}`;
  }
}

export function dedupePeople(people: PersonToken[]): PersonToken[] {
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = personKey(person);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function classifyWord(text: string): PersonToken | undefined {
  const id = parseKantataId(text);
  if (id !== undefined) return { kind: 'kantata_id', id };
  if (isEmailAddress(text)) return { kind: 'email', email: text.toLowerCase() };
  return undefined;
}

function classifyAngle(raw: string): PersonToken {
  const user = USER_MENTION.exec(raw);
  if (user?.[1]) return withLabel({ kind: 'slack_user', userId: user[1] }, user[2]);
  const usergroup = USERGROUP_MENTION.exec(raw);
  if (usergroup?.[1]) return withLabel({ kind: 'slack_usergroup', usergroupId: usergroup[1] }, usergroup[2]);
  const channel = CHANNEL_MENTION.exec(raw);
  if (channel?.[1]) return withLabel({ kind: 'channel', channelId: channel[1] }, channel[2]);
  const mailto = MAILTO.exec(raw);
  const address = mailto?.[1] === undefined ? undefined : unescapeSlackText(mailto[1]).trim();
  if (address !== undefined && isEmailAddress(address))
    return { kind: 'email', email: address.toLowerCase() };
  return { kind: 'invalid', text: unescapeSlackText(raw) };
}

function withLabel<T extends PersonToken & { label?: string }>(person: T, label: string | undefined): T {
  const text = label === undefined ? '' : unescapeSlackText(label).trim();
  return text === '' ? person : { ...person, label: text };
}
