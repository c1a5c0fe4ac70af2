import { isEmailAddress } from './email.js';
import { classifyPerson } from './people.js';

/** Everyone a Slack message names: users, user groups and email addresses, each once, in order. */
export type MessageMentions = { userIds: string[]; usergroupIds: string[]; emails: string[] };

// `<…>` runs up to the first `>`; a bare word runs up to white space or a comma: neither backtracks.
const ANGLE = /<[^<>\s][^<>]*>/g;
const WORD = /[^\s,;<>()[\]"']+/g;
const TRAILING = /[.:!?]+$/;

/**
 * The people a message mentions (the message shortcut, SPEC §4.8): from its text, where Slack writes
 * `<@U…>`, `<!subteam^S…>` and `<mailto:…|…>`, and from its rich-text blocks (`user`, `usergroup` and
 * `mailto:` link elements), so a message whose text is only a fallback still counts. Bare emails in the
 * text count too. `author` is left out: the person who wrote it is not asking to be added.
 */
export function mentionsInMessage(message: unknown, author?: string): MessageMentions {
  const found: MessageMentions = { userIds: [], usergroupIds: [], emails: [] };
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  const m = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
  const text = typeof m.text === 'string' ? m.text : '';
  for (const [raw] of text.matchAll(ANGLE)) {
    const person = classifyPerson({ kind: 'angle', raw, start: 0, end: raw.length });
    if (person.kind === 'slack_user') add(found.userIds, person.userId);
    if (person.kind === 'slack_usergroup') add(found.usergroupIds, person.usergroupId);
    if (person.kind === 'email') add(found.emails, person.email);
  }
  for (const [word] of text.replace(ANGLE, ' ').matchAll(WORD)) {
    const candidate = word.replace(TRAILING, '');
    if (isEmailAddress(candidate)) add(found.emails, candidate.toLowerCase());
  }
  walk(m.blocks, (element) => {
    if (element.type === 'user' && typeof element.user_id === 'string') add(found.userIds, element.user_id);
    if (element.type === 'usergroup' && typeof element.usergroup_id === 'string')
      add(found.usergroupIds, element.usergroup_id);
    if (element.type === 'link' && typeof element.url === 'string' && /^mailto:/i.test(element.url)) {
      const address = element.url.slice('mailto:'.length).split('?')[0] ?? '';
      if (isEmailAddress(address)) add(found.emails, address.toLowerCase());
    }
  });
  if (author) found.userIds = found.userIds.filter((id) => id !== author);
  return found;
}

/** Every object in a block tree, depth first; bounded by the message Slack sent (50 blocks at most). */
function walk(value: unknown, visit: (element: Record<string, unknown>) => void, depth = 0): void {
  if (depth > 20) return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const element = value as Record<string, unknown>;
  visit(element);
  for (const child of Object.values(element)) if (typeof child === 'object') walk(child, visit, depth + 1);
}
