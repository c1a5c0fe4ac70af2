import { formatCount } from '../text/format-count.js';
import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { parseGroupTokens } from './group-ref.js';
import { parseChange } from './parse-change.js';
import { fail, failFor, groupProblemMessage, shown, shownToken } from './parse-error.js';
import { parseLink, parseUnlink } from './parse-link.js';
import { parseOwners } from './parse-owners.js';
import { parseSync } from './parse-sync.js';
import { closestSubcommand } from './suggest.js';
import { type Token, tokenize } from './tokenize.js';
import type { ParseOptions, ParseResult } from './types.js';
import { SUBCOMMANDS, type Subcommand, usageFor, usageSummary } from './usage.js';

/** The least text a command may always have. */
export const MIN_COMMAND_LENGTH_LIMIT = 20_000;
/**
 * Room per person allowed: Slack sends an email as `<mailto:ann@example.com|ann@example.com>`, so a change of
 * MAX_PEOPLE_PER_CHANGE emails needs well over 20,000 characters. Longer text is refused before any work.
 */
export const CHARACTERS_PER_PERSON = 128;
export const DEFAULT_MAX_PEOPLE = 1000;
const DEFAULT_MAX_MEMBERSHIP_MS = 365 * 86_400_000;

/** The longest command text accepted when a change may name `maxPeople` people. */
export function maxCommandLength(maxPeople: number): number {
  return Math.max(MIN_COMMAND_LENGTH_LIMIT, maxPeople * CHARACTERS_PER_PERSON);
}

const WORDS: ReadonlyMap<string, Subcommand> = new Map<string, Subcommand>([
  ...SUBCOMMANDS.map((name) => [name, name] as const),
  ['?', 'help'],
  ['-h', 'help'],
  ['--help', 'help'],
]);

/**
 * Parses the text of `/groups` (as Slack sends it with `should_escape: true`) into a command, or into an
 * error that says what was wrong and shows the right form. Pure, never throws, linear in the input length.
 */
export function parseGroupsCommand(text: string, options: ParseOptions = {}): ParseResult {
  const input = typeof text === 'string' ? text : '';
  const limit = maxCommandLength(options.maxPeople ?? DEFAULT_MAX_PEOPLE);
  if (input.length > limit) {
    return fail(
      'too_long',
      `That command is ${formatCount(input.length)} characters long; the limit is ${formatCount(limit)}. ` +
        'Please split it into smaller changes.',
      usageSummary(),
    );
  }
  const tokenized = tokenize(input);
  if (!tokenized.ok) {
    const kind = subcommandOf(tokenized.tokens[0]);
    return fail(
      'unbalanced_quotes',
      `The quote ${shown(tokenized.quote)} has no closing quote. Close it, or leave quotes out of single words.`,
      kind ? usageFor(kind) : usageSummary(),
    );
  }
  const { tokens, hasReason, reason } = tokenized;
  const [first, ...args] = tokens;
  if (!first) {
    if (!hasReason) return { ok: true, command: { kind: 'open_modal' } };
    return fail('missing_argument', 'Start with what to do, like `add` or `remove`.', usageSummary());
  }
  const kind = subcommandOf(first);
  if (!kind) return unknownSubcommand(first);
  if (kind === 'help') return { ok: true, command: { kind: 'help' } };
  if (kind === 'add' || kind === 'remove') {
    return parseChange({
      kind,
      args,
      hasReason,
      reason,
      maxPeople: maxPeopleOf(options),
      maxMembershipMs: options.maxMembershipMs ?? DEFAULT_MAX_MEMBERSHIP_MS,
    });
  }
  if (kind === 'sync') return parseSync({ args, hasReason, reason });
  if (hasReason)
    return failFor(kind, 'invalid_argument', '`--reason` only goes with `add`, `remove` and `sync`.');
  return parseOther(kind, args, input);
}

function parseOther(
  kind: Exclude<Subcommand, 'help' | 'add' | 'remove' | 'sync'>,
  args: Token[],
  input: string,
): ParseResult {
  switch (kind) {
    case 'list': {
      const search = args
        .map((token) => unescapeSlackText(token.raw).trim())
        .filter((word) => word !== '')
        .join(' ');
      return { ok: true, command: search === '' ? { kind } : { kind, search } };
    }
    case 'members':
    case 'unsync':
    case 'expiring':
    case 'history': {
      if (args.length === 0) {
        if (kind !== 'members' && kind !== 'unsync') return { ok: true, command: { kind } };
        return failFor(
          kind,
          'missing_argument',
          'Which group? Name it, in quotes if it has spaces, or use `id:NNN`.',
        );
      }
      const group = parseGroupTokens(args, input);
      if (!group.ok) return failFor(kind, 'invalid_argument', groupProblemMessage(group.problem, group.text));
      return { ok: true, command: { kind, group: group.group } };
    }
    case 'requests':
    case 'syncs':
    case 'whoami': {
      const [extra] = args;
      if (extra)
        return failFor(
          kind,
          'invalid_argument',
          `\`${kind}\` takes nothing after it, not ${shownToken(extra)}.`,
        );
      return { ok: true, command: { kind } };
    }
    case 'owners':
      return parseOwners(args, input);
    case 'link':
      return parseLink(args);
    case 'unlink':
      return parseUnlink(args);
  }
}

function subcommandOf(token: Token | undefined): Subcommand | undefined {
  if (token?.kind !== 'word') return undefined;
  return WORDS.get(unescapeSlackText(token.raw).toLowerCase());
}

function unknownSubcommand(token: Token): ParseResult {
  const word = token.kind === 'word' ? unescapeSlackText(token.raw) : '';
  const suggestion = word === '' ? undefined : closestSubcommand(word);
  const hint = suggestion
    ? ` Did you mean \`${suggestion}\`?`
    : ` Start with one of: ${SUBCOMMANDS.map((name) => `\`${name}\``).join(', ')}.`;
  return fail(
    'unknown_subcommand',
    `I don't understand ${shownToken(token)}.${hint}`,
    suggestion ? usageFor(suggestion) : usageSummary(),
  );
}

function maxPeopleOf(options: ParseOptions): number {
  const max = options.maxPeople;
  return typeof max === 'number' && max >= 1 ? Math.floor(max) : DEFAULT_MAX_PEOPLE;
}

// The command's types live in types.ts; re-exported so callers need one import for the parser.
export type {
  GroupRef,
  GroupsCommand,
  GroupsCommandKind,
  OwnerToken,
  ParseError,
  ParseErrorCode,
  ParseOptions,
  ParseResult,
  PersonToken,
  SyncSourceToken,
} from './types.js';
export { helpText, usageFor, usageSummary } from './usage.js';
