import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { parseKantataId } from './people.js';
import type { Token } from './tokenize.js';
import type { GroupRef } from './types.js';

/** Why a token cannot name a group; the caller turns it into a message. */
export type GroupRefProblem = 'empty_name' | 'bad_id' | 'looks_like_person' | 'several_groups';

export type GroupRefResult =
  | { ok: true; group: GroupRef }
  | { ok: false; problem: GroupRefProblem; text: string };

/**
 * One token as a group: `id:NNN` (digits only), a quoted name (any characters, `"id:1"` included), or a
 * single word. A mention cannot be a group; it usually means the group was left out before the people.
 */
export function parseGroupToken(token: Token): GroupRefResult {
  const text = unescapeSlackText(token.raw);
  if (token.kind === 'angle') return { ok: false, problem: 'looks_like_person', text };
  if (token.kind === 'quoted') {
    const name = collapseSpaces(text);
    return name === ''
      ? { ok: false, problem: 'empty_name', text }
      : { ok: true, group: { kind: 'name', name } };
  }
  if (/^id:/i.test(text)) {
    const id = parseKantataId(text);
    return id === undefined
      ? { ok: false, problem: 'bad_id', text }
      : { ok: true, group: { kind: 'id', id } };
  }
  return { ok: true, group: { kind: 'name', name: text } };
}

/**
 * All remaining tokens as one group, for commands that take nothing else (`members`, `history`):
 * `members Design Team` then means the group "Design Team" without quotes. Words are taken from the input
 * as typed (commas included); only runs of white space become one space.
 */
export function parseGroupTokens(tokens: Token[], input: string): GroupRefResult {
  const [first] = tokens;
  const last = tokens[tokens.length - 1];
  if (!first || !last) return { ok: false, problem: 'empty_name', text: '' };
  if (tokens.length === 1) return parseGroupToken(first);
  if (tokens.some((t) => t.kind !== 'word') || /^id:/i.test(first.raw)) {
    return {
      ok: false,
      problem: 'several_groups',
      text: unescapeSlackText(input.slice(first.start, last.end)),
    };
  }
  const name = collapseSpaces(unescapeSlackText(input.slice(first.start, last.end)));
  return { ok: true, group: { kind: 'name', name } };
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
