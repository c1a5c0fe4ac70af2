/**
 * Makes user-supplied text safe to echo into a Slack mrkdwn message.
 *
 * Slack reads `<…>` as control sequences: `<!channel>`, `<!here>`, `<!everyone>` ping whole channels,
 * `<@U123>` pings a person, `<!subteam^S1>` pings a user group and `<https://…|label>` hides a link behind
 * innocent text. Reasons and group names come from people, so echoing them raw into a notification would let
 * anyone ping a channel through the bot. Slack's own rule is to escape exactly `&`, `<` and `>` as HTML
 * entities; the sequences then show literally and do nothing.
 *
 * Plain `@channel` / `@here` / `@everyone` words only ping when a message is posted with `link_names`, which
 * this bot never sets; a zero-width joiner after the `@` makes sure they stay inert even if some caller or a
 * future Slack default does, while still reading the same to people.
 *
 * The input must be plain text (already unescaped, see `unescapeSlackText`); escaping twice shows `&amp;`.
 * Formatting characters (`*`, `_`, `~`, `` ` ``) have no escape in mrkdwn and are left as they are.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(SPECIAL, (c) => ENTITIES[c] ?? c).replace(BROADCAST_WORD, `@${ZERO_WIDTH_JOINER}$1`);
}

const SPECIAL = /[&<>]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// A word of its own: not the domain of an email (`ann@here.com`), not a longer handle (`@channels`).
const BROADCAST_WORD = /(?<![\w.+-])@(channel|here|everyone)\b(?!\.\w)/gi;
const ZERO_WIDTH_JOINER = '\u200D';
