import { formatCount } from '../text/format-count.js';
import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { parseGroupToken } from './group-ref.js';
import { failFor, groupProblemMessage } from './parse-error.js';
import { takeTerm } from './parse-term.js';
import { classifyPerson, dedupePeople } from './people.js';
import type { Token } from './tokenize.js';
import type { ParseResult } from './types.js';

export type ChangeArgs = {
  kind: 'add' | 'remove';
  args: Token[];
  hasReason: boolean;
  /** Raw (still Slack-escaped) text after `--reason`. */
  reason: string;
  maxPeople: number;
  /** MAX_MEMBERSHIP_DURATION. */
  maxMembershipMs: number;
};

/** `add <group> <people…> [--for <duration> | --until <date>] [--reason <text>]`, `remove … [--reason]`. */
export function parseChange(input: ChangeArgs): ParseResult {
  const { kind, hasReason, reason, maxPeople } = input;
  const taken = takeTerm(kind, input.args, input.maxMembershipMs);
  if (!taken.ok) return failFor(kind, 'invalid_argument', taken.message);
  const { term } = taken;
  const [groupToken, ...personTokens] = taken.rest;
  if (!groupToken) {
    const message = hasReason
      ? `Which group, and who? \`--reason\` goes after the group and the people.`
      : `Which group, and who? Name the group, then the people to ${kind}.`;
    return failFor(kind, 'missing_argument', message);
  }
  const group = parseGroupToken(groupToken);
  if (!group.ok) return failFor(kind, 'invalid_argument', groupProblemMessage(group.problem, group.text));
  if (personTokens.length === 0) {
    const where = hasReason ? ' `--reason` and its text go after the people.' : '';
    return failFor(
      kind,
      'missing_argument',
      `Who should I ${kind}? Name at least one person after the group.${where}`,
    );
  }
  const reasonText = unescapeSlackText(reason).trim();
  if (hasReason && reasonText === '') {
    return failFor(kind, 'missing_argument', '`--reason` needs some text after it, or leave it out.');
  }
  const people = dedupePeople(personTokens.map(classifyPerson));
  if (people.length > maxPeople) {
    return failFor(
      kind,
      'too_many_people',
      `That names ${formatCount(people.length)} people; one change can include at most ${formatCount(maxPeople)}. ` +
        'Please split it into smaller changes.',
    );
  }
  return {
    ok: true,
    command: {
      kind,
      group: group.group,
      people,
      ...(hasReason ? { reason: reasonText } : {}),
      ...(term ? { term } : {}),
    },
  };
}
