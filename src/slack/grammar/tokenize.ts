/**
 * Splits `/groups` text into tokens in one left-to-right pass (linear time, no backtracking regexes), so any
 * input, however hostile, is parsed at once.
 *
 * - Separators: any whitespace (incl. new lines and no-break spaces), commas, and semicolons (people paste
 *   Outlook address lists), but not the `;` that ends one of Slack's `&amp;` `&lt;` `&gt;` escapes.
 * - `<…>` is one token: with `should_escape: true` Slack sends a typed `<` as `&lt;`, so a raw `<` always
 *   starts a Slack control sequence (mention, mailto link, channel).
 * - A quote at the start of a token opens a quoted token: straight or curly (Slack and phones turn `"` into
 *   `“ ”`), double or single. A single quote only closes before a separator, so `'Bob's team'` works.
 * - The first bare `--reason` (also `—reason`, as macOS turns `--` into an em dash) ends tokenizing: the rest
 *   of the text, line breaks included, is the reason, whatever quotes or mentions it holds.
 */

export type TokenKind = 'word' | 'quoted' | 'angle';

export type Token = {
  kind: TokenKind;
  /** As Slack sent it (still escaped). For `quoted`, the text between the quotes; for `angle`, with `<` `>`. */
  raw: string;
  /** Offsets into the input: `start` at the first character (the quote or `<`), `end` just after the last. */
  start: number;
  end: number;
};

export type Tokenized =
  | {
      ok: true;
      tokens: Token[];
      /** True when a `--reason` flag was found; `reason` is then the raw, trimmed rest (possibly empty). */
      hasReason: boolean;
      reason: string;
    }
  /** A quote that never closes: the character and its offset, with the tokens before it. */
  | { ok: false; quote: string; at: number; tokens: Token[] };

const DOUBLE_QUOTES = new Set(['"', '“', '”', '„']);
const SINGLE_QUOTES = new Set(["'", '‘', '’']);
const REASON_FLAG = /^(?:--|—|–)reason(?:=|$)/i;

export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (isSeparatorAt(text, i)) {
      i += 1;
      continue;
    }
    if (DOUBLE_QUOTES.has(c) || SINGLE_QUOTES.has(c)) {
      const close = findClosingQuote(text, i);
      if (close < 0) return { ok: false, quote: c, at: i, tokens };
      tokens.push({ kind: 'quoted', raw: text.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === '<') {
      const close = findClosingAngle(text, i);
      if (close >= 0) {
        tokens.push({ kind: 'angle', raw: text.slice(i, close + 1), start: i, end: close + 1 });
        i = close + 1;
        continue;
      }
    }
    const end = findWordEnd(text, i);
    const raw = text.slice(i, end);
    const flag = REASON_FLAG.exec(raw);
    if (flag) {
      const inline = raw.slice(flag[0].length);
      return { ok: true, tokens, hasReason: true, reason: (inline + text.slice(end)).trim() };
    }
    tokens.push({ kind: 'word', raw, start: i, end });
    i = end;
  }
  return { ok: true, tokens, hasReason: false, reason: '' };
}

function isSeparatorAt(text: string, i: number): boolean {
  const c = text.charAt(i);
  if (c === ',' || c === '\u200B' || c === '\uFEFF' || WHITESPACE.test(c)) return true;
  if (c !== ';') return false;
  const before = text.slice(Math.max(0, i - 4), i);
  return !(before === '&amp' || before.endsWith('&lt') || before.endsWith('&gt'));
}

const WHITESPACE = /\s/;

/** A word runs to the next separator, or to a `<` that could start a mention glued to it (`a@b.c<@U1>`). */
function findWordEnd(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length && !isSeparatorAt(text, j) && text.charAt(j) !== '<') j += 1;
  return j;
}

/**
 * The `>` closing the `<` at `start`, or -1. Gives up at the next `<` or line break, which also keeps the
 * whole tokenizer linear: a failed search never scans past where the next one starts.
 */
function findClosingAngle(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j += 1) {
    const c = text.charAt(j);
    if (c === '>') return j;
    if (c === '<' || c === '\n' || c === '\r') return -1;
  }
  return -1;
}

function findClosingQuote(text: string, start: number): number {
  const single = SINGLE_QUOTES.has(text.charAt(start));
  for (let j = start + 1; j < text.length; j += 1) {
    const c = text.charAt(j);
    if (!single && DOUBLE_QUOTES.has(c)) return j;
    if (
      single &&
      SINGLE_QUOTES.has(c) &&
      (j + 1 === text.length || isSeparatorAt(text, j + 1) || text[j + 1] === '<')
    ) {
      return j;
    }
  }
  return -1;
}
