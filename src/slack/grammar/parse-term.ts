import { formatDuration, parseDuration } from '../../config/duration.js';
import { unescapeSlackText } from '../text/unescape-slack-text.js';
import { shown } from './shown.js';
import type { Token } from './tokenize.js';

/** How long an add lasts, as written: `--for 7d` or `--until 2026-12-31` (turned into an instant later, in the caller's time zone). */
export type TermToken = { kind: 'for'; ms: number } | { kind: 'until'; date: string };

const FLAG = /^(?:--|—|–)(for|until)(?:=(.*))?$/i;
const MIN_MS = 60_000;

export type TermParse = { ok: true; rest: Token[]; term?: TermToken } | { ok: false; message: string };

/**
 * Takes `--for <duration>` / `--until <YYYY-MM-DD>` out of the arguments of `add`/`remove` (SPEC §4.6), with a
 * message that says what is wrong for each bad input: on `remove`, both at once, a missing value, zero,
 * negative, unparsable, shorter than a minute or longer than MAX_MEMBERSHIP_DURATION, a date that is not a
 * date. A date in the past needs the caller's time zone and is checked once it is known.
 */
export function takeTerm(kind: 'add' | 'remove', args: readonly Token[], maxMs: number): TermParse {
  const rest: Token[] = [];
  const found: { flag: 'for' | 'until'; value: string | undefined }[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i]!;
    const match = token.kind === 'word' ? FLAG.exec(unescapeSlackText(token.raw)) : null;
    if (!match) {
      rest.push(token);
      continue;
    }
    const inline = match[2];
    let value = inline === undefined || inline === '' ? undefined : inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next && !(next.kind === 'word' && FLAG.test(unescapeSlackText(next.raw)))) {
        value = unescapeSlackText(next.raw).trim();
        i += 1;
      }
    }
    found.push({ flag: match[1]!.toLowerCase() as 'for' | 'until', value });
  }
  if (found.length === 0) return { ok: true, rest };
  if (kind === 'remove') {
    return {
      ok: false,
      message: '`--for` and `--until` only go with `add`: a removal takes effect at once and for good.',
    };
  }
  if (found.length > 1) {
    const both = new Set(found.map((f) => f.flag)).size > 1;
    return {
      ok: false,
      message: both
        ? 'Use `--for` or `--until`, not both: one says how long, the other until when.'
        : `\`--${found[0]!.flag}\` is given twice; give it once.`,
    };
  }
  const { flag, value } = found[0]!;
  if (value === undefined || value === '') {
    return {
      ok: false,
      message:
        flag === 'for'
          ? '`--for` needs a duration after it, like `--for 7d`, `--for 12h` or `--for 1h30m`.'
          : '`--until` needs a date after it, like `--until 2026-12-31`.',
    };
  }
  return flag === 'for' ? termFor(value, rest, maxMs) : termUntil(value, rest);
}

function termFor(value: string, rest: Token[], maxMs: number): TermParse {
  if (/^-/.test(value)) return { ok: false, message: `A duration cannot be negative (${shown(value)}).` };
  if (/^(\d+\s*[smhdw]\s*)+$/i.test(value) && [...value.matchAll(/\d+/g)].every((m) => Number(m[0]) === 0)) {
    return {
      ok: false,
      message: `A duration of zero (${shown(value)}) would end at once; give at least \`1m\`.`,
    };
  }
  const ms = parseDuration(value);
  if (ms === null) {
    return {
      ok: false,
      message: `${shown(value)} is not a duration. Write it like \`90m\`, \`12h\`, \`7d\` or \`1h30m\`.`,
    };
  }
  if (ms < MIN_MS) return { ok: false, message: `${shown(value)} is too short; the shortest is \`1m\`.` };
  if (ms > maxMs) {
    return {
      ok: false,
      message: `${shown(value)} is too long; the longest is \`${formatDuration(maxMs)}\`.`,
    };
  }
  return { ok: true, rest, term: { kind: 'for', ms } };
}

function termUntil(value: string, rest: Token[]): TermParse {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) {
    return {
      ok: false,
      message: `${shown(value)} is not a date. Write it as \`YYYY-MM-DD\`, like \`2026-12-31\`.`,
    };
  }
  return { ok: true, rest, term: { kind: 'until', date: value } };
}
