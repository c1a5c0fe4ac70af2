import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { parseGroupToken } from './group-ref.js';
import { failFor, groupProblemMessage, shownToken } from './parse-error.js';
import { classifyPerson } from './people.js';
import type { Token } from './tokenize.js';
import type { ParseResult, SyncSourceToken } from './types.js';

const SOURCE_EXPECTED = 'a Slack user group (like @design-team) or a channel (like #proj-apollo)';

/** `sync <group> from <user group | channel> [--add-only] [--keep] [--reason <text>]` (SPEC §4.7). */
export function parseSync(input: { args: Token[]; hasReason: boolean; reason: string }): ParseResult {
  const flags = { addOnly: false, keep: false };
  const rest: Token[] = [];
  for (const token of input.args) {
    const word =
      token.kind === 'word' ? unescapeSlackText(token.raw).toLowerCase().replace(/^[—–]/, '--') : '';
    if (word === '--add-only') flags.addOnly = true;
    else if (word === '--keep') flags.keep = true;
    else if (word.startsWith('--') || word.startsWith('—')) {
      return failFor('sync', 'invalid_argument', `${shownToken(token)} is not an option of \`sync\`.`);
    } else rest.push(token);
  }
  const [groupToken, fromToken, sourceToken, ...extra] = rest;
  if (!groupToken) {
    return failFor(
      'sync',
      'missing_argument',
      `Which group, and from where? Name the group, then \`from\` ${SOURCE_EXPECTED}.`,
    );
  }
  const group = parseGroupToken(groupToken);
  if (!group.ok) return failFor('sync', 'invalid_argument', groupProblemMessage(group.problem, group.text));
  if (fromToken?.kind !== 'word' || unescapeSlackText(fromToken.raw).toLowerCase() !== 'from') {
    return failFor('sync', 'missing_argument', `After the group, write \`from\` and ${SOURCE_EXPECTED}.`);
  }
  if (!sourceToken) return failFor('sync', 'missing_argument', `Sync from where? Name ${SOURCE_EXPECTED}.`);
  const source = classifyPerson(sourceToken);
  if (source.kind !== 'slack_usergroup' && source.kind !== 'channel') {
    return failFor('sync', 'invalid_argument', `${shownToken(sourceToken)} is not ${SOURCE_EXPECTED}.`);
  }
  if (extra[0]) {
    return failFor(
      'sync',
      'invalid_argument',
      `A group syncs from one source; ${shownToken(extra[0])} is one too many.`,
    );
  }
  const reason = unescapeSlackText(input.reason).trim();
  if (input.hasReason && reason === '') {
    return failFor('sync', 'missing_argument', '`--reason` needs some text after it, or leave it out.');
  }
  const command = {
    kind: 'sync' as const,
    group: group.group,
    source: source satisfies SyncSourceToken,
    addOnly: flags.addOnly,
    keep: flags.keep,
    ...(input.hasReason ? { reason } : {}),
  };
  return { ok: true, command };
}
