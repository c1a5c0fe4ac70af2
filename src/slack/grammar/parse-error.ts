import { unescapeSlackText } from '../text/unescape-slack-text.js';
import type { GroupRefProblem } from './group-ref.js';
import { shown } from './shown.js';
import type { Token } from './tokenize.js';
import type { GroupsCommandKind, ParseErrorCode, ParseResult } from './types.js';
import { usageFor } from './usage.js';

export { shown } from './shown.js';

export function fail(code: ParseErrorCode, message: string, usage: string): ParseResult {
  return { ok: false, error: { code, message, usage } };
}

export function failFor(kind: GroupsCommandKind, code: ParseErrorCode, message: string): ParseResult {
  return fail(code, message, usageFor(kind));
}

/** A token as the user typed it (quotes kept), for `shown`. */
export function shownToken(token: Token): string {
  const text = unescapeSlackText(token.raw);
  return shown(token.kind === 'quoted' ? `"${text}"` : text);
}

const GROUP_PROBLEMS: Record<GroupRefProblem, (text: string) => string> = {
  empty_name: () => 'The group name is empty.',
  bad_id: (text) =>
    `${shown(text)} is not a group id: write \`id:\` followed by digits only, like \`id:123\`.`,
  looks_like_person: (text) =>
    `${shown(text)} looks like a person, but the group comes first. Put the group name (or \`id:NNN\`) before the people.`,
  several_groups: (text) =>
    `${shown(text)} is more than one group. Name one group, in quotes if its name has spaces: \`"Design Team"\`.`,
};

export function groupProblemMessage(problem: GroupRefProblem, text: string): string {
  return GROUP_PROBLEMS[problem](text);
}
