/**
 * Undoes Slack's escaping of message and command text (`&amp;`, `&lt;`, `&gt;`), in one pass so that
 * `&amp;lt;` becomes `&lt;` and not `<`. Only for free text: a raw `<` in Slack text starts a control
 * sequence (mention, link), so mentions must be recognised before unescaping.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(ENTITY, (_m, name: string) => CHARS[name] ?? '');
}

const ENTITY = /&(amp|lt|gt);/g;
const CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
