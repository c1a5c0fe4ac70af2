/**
 * The one escaping rule for text that did not come from the bot (names, group names, emails, reasons from
 * Kantata or from people) before it goes into anything Slack reads as mrkdwn: mrkdwn blocks and every
 * message's fallback `text`. After it, such text never pings, links or formats; it only shows.
 *
 * - Slack reads `<…>` as control sequences: `<!channel>`, `<!here>`, `<!everyone>` ping whole channels,
 *   `<@U123>` pings a person, `<!subteam^S1>` a user group and `<https://…|label>` hides a link behind
 *   innocent text. Slack's own rule is to escape exactly `&`, `<` and `>` as HTML entities; the sequences
 *   then show literally and do nothing.
 * - Plain `@channel` / `@here` / `@everyone` words only ping with `link_names`, which this bot never sets; a
 *   zero-width joiner after the `@` keeps them inert even if a caller or a future Slack default does.
 * - mrkdwn has no escape for its formatting characters, so `*bold*`, `_italic_`, `~strike~` and `` `code` ``
 *   in a name would render as formatting. They are replaced by characters that look the same and format
 *   nothing (∗ ˋ ∼ ˍ). An underscore inside a word (`ann_lee@example.com`) cannot start italics and is kept,
 *   so emails stay exact.
 *
 * The input must be plain text (already unescaped, see `unescapeSlackText`); escaping twice shows `&amp;`.
 * For plain_text objects (headers, buttons, options) Slack shows text literally: do not escape those.
 */
export function escapeMrkdwn(text: string): string {
  // Most names and emails hold none of it: one scan instead of four replacements (a notice names 10,000).
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(SPECIAL, (c) => ENTITIES[c] ?? c)
    .replace(BROADCAST_WORD, `@${ZERO_WIDTH_JOINER}$1`)
    .replace(FORMATTING, (c) => LOOK_ALIKES[c] ?? c)
    .replace(EDGE_UNDERSCORE, LOW_MACRON);
}

/**
 * Text shown inside a code span (`` `…` ``), such as an id: mrkdwn formats nothing there, so only what could
 * still act is escaped (`&`, `<`, `>`) and a backtick, which would end the span. Everything else stays
 * exact: a base64url change id keeps its underscores, which `escapeMrkdwn` would turn into look-alikes at
 * a word's edge, so that the id shown is the id.
 */
export function escapeCodeSpan(text: string): string {
  return text.replace(SPECIAL, (c) => ENTITIES[c] ?? c).replace(/`/g, BACKTICK_LOOK_ALIKE);
}

/** Everything the four replacements below could change; without any of it the text stays as it is. */
const NEEDS_ESCAPING = /[&<>*`~_]|@(?:channel|here|everyone)/i;
const SPECIAL = /[&<>]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// A word of its own: not the domain of an email (`ann@here.com`), not a longer handle (`@channels`).
const BROADCAST_WORD = /(?<![\w.+-])@(channel|here|everyone)\b(?!\.\w)/gi;
const ZERO_WIDTH_JOINER = '\u200D';
const FORMATTING = /[*`~]/g;
const BACKTICK_LOOK_ALIKE = '\u02CB';
const LOOK_ALIKES: Record<string, string> = { '*': '\u2217', '`': BACKTICK_LOOK_ALIKE, '~': '\u223C' };
// An underscore that could open or close italics: not between two letters or digits.
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
const LOW_MACRON = '\u02CD';
