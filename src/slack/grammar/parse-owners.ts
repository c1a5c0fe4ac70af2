import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { parseGroupTokens } from './group-ref.js';
import { failFor, groupProblemMessage, shownToken } from './parse-error.js';
import { classifyPerson, dedupePeople } from './people.js';
import type { Token } from './tokenize.js';
import type { OwnerToken, ParseResult } from './types.js';

/** Owners named at once, at most: a group's owners are a few people and teams, not a department. */
export const MAX_OWNERS_PER_CHANGE = 50;

const WHO = 'Owners are Slack people (@ann) or a Slack user group (@design-leads)';

/**
 * `owners <group>` shows a group's owners; `owners <group> add|remove <people…>` changes them. The group
 * is everything before the first `add` / `remove` (so `owners Design Team add @ann` needs no quotes); the
 * people are Slack users and user groups only, since an owner is someone who clicks in Slack.
 */
export function parseOwners(args: Token[], input: string): ParseResult {
  const verbAt = args.findIndex((token, i) => i > 0 && verbOf(token) !== undefined);
  const groupTokens = verbAt < 0 ? args : args.slice(0, verbAt);
  if (groupTokens.length === 0) {
    return failFor(
      'owners',
      'missing_argument',
      'Which group? Name it, in quotes if it has spaces, or use `id:NNN`.',
    );
  }
  const group = parseGroupTokens(groupTokens, input);
  if (!group.ok) return failFor('owners', 'invalid_argument', groupProblemMessage(group.problem, group.text));
  if (verbAt < 0) return { ok: true, command: { kind: 'owners', group: group.group } };
  const action = verbOf(args[verbAt]!)!;
  const named = args.slice(verbAt + 1);
  if (named.length === 0) {
    return failFor('owners', 'missing_argument', `Whom should I ${action}? ${WHO}.`);
  }
  const owners: OwnerToken[] = [];
  for (const token of named) {
    const person = classifyPerson(token);
    if (person.kind !== 'slack_user' && person.kind !== 'slack_usergroup') {
      return failFor('owners', 'invalid_argument', `${shownToken(token)} cannot be an owner. ${WHO}.`);
    }
    owners.push(person);
  }
  const unique = dedupePeople(owners) as OwnerToken[];
  if (unique.length > MAX_OWNERS_PER_CHANGE) {
    return failFor(
      'owners',
      'too_many_people',
      `That names ${unique.length} owners; name at most ${MAX_OWNERS_PER_CHANGE} at once (a Slack user group counts as one).`,
    );
  }
  return { ok: true, command: { kind: 'owners', group: group.group, change: { action, owners: unique } } };
}

function verbOf(token: Token): 'add' | 'remove' | undefined {
  if (token.kind !== 'word') return undefined;
  const word = unescapeSlackText(token.raw).toLowerCase();
  return word === 'add' || word === 'remove' ? word : undefined;
}
