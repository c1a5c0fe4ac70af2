import type { Change } from '../../approvals/types.js';
import type { ApplyReport, KantataUser, PersonOutcome } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { truncateText } from '../text/truncate-text.js';
import { plainFallback, type SlackMessage, section } from './blocks.js';
import { changedKinds, OUTCOME_TITLES } from './change-wording.js';
import { personName } from './name-list.js';

/**
 * Budget of one thread reply. A section holds 3,000 characters; Slack refuses a message whose blocks total
 * about 13,000 (`msg_blocks_too_long`, bolt-js #2509), so four full sections stay clear of it.
 */
const SECTION_CHARS = 2_900;
const SECTIONS_PER_REPLY = 4;
const SEPARATOR = ', ';
/** With the notification itself, five messages at most for 1,000 people. */
const MAX_REPLIES = 4;

type Props = { change: Pick<Change, 'action'>; report: ApplyReport };

/**
 * The names of a large change as thread replies under its notification, packed: whole addresses side by
 * side, failures grouped by reason, the lists running on from one reply into the next instead of each
 * starting a reply of its own. Should that take more than four replies (1,000 addresses of 45+ characters),
 * the addresses are grouped by domain (`*Added (1,000) · @example.com:* ann.smith, bob.jones, …`), so the
 * whole notification of 1,000 people is at most five messages (each one spends Slack's budget of about one
 * message a second per channel).
 */
export function notificationThreadMessages(props: Props): SlackMessage[] {
  const full = threadMessages(props, false);
  return full.length <= MAX_REPLIES ? full : threadMessages(props, true);
}

function threadMessages(props: Props, compact: boolean): SlackMessage[] {
  const { change, report } = props;
  const lists = [
    ...changedKinds(change.action).map((kind) => ({
      title: OUTCOME_TITLES[kind],
      users: report.outcomes.filter((o) => o.outcome === kind).map((o) => o.user),
    })),
    ...failuresByReason(report.outcomes.filter((o) => o.outcome === 'failed')),
  ].filter((list) => list.users.length > 0);

  const pack = new Packer();
  for (const list of lists) {
    const title = `${list.title} (${formatCount(list.users.length)})`;
    for (const { domain, items } of compact
      ? byDomain(list.users)
      : [{ domain: '', items: list.users.map(fullLabel) }]) {
      let first = true;
      const heading = () => `*${title}${domain ? ` · @${domain}` : ''}${first ? '' : ', continued'}:* `;
      pack.startParagraph(heading());
      for (const item of items) {
        if (!pack.fits(item)) {
          pack.closeSection();
          first = false;
          pack.startParagraph(heading());
        }
        pack.add(item);
      }
    }
  }
  return pack.messages();
}

/** The whole address: what people search the thread for. The name stands in when there is no address. */
function fullLabel(user: Pick<KantataUser, 'name' | 'email' | 'id'>): string {
  const email = user.email.trim();
  return email ? escapeMrkdwn(truncateText(email, 80)) : personName(user);
}

/**
 * Only when the whole addresses would take more than `MAX_REPLIES` replies: people by the domain of their address (most workspaces have one or two), so that a name costs only the
 * part before the `@`; people without an address are listed by name, last.
 */
function byDomain(users: readonly Pick<KantataUser, 'name' | 'email' | 'id'>[]) {
  const groups = new Map<string, string[]>();
  for (const user of users) {
    const email = user.email.trim();
    const at = email.lastIndexOf('@');
    const domain = at > 0 ? escapeMrkdwn(truncateText(email.slice(at + 1), 80)) : '';
    const item = at > 0 ? escapeMrkdwn(truncateText(email.slice(0, at), 80)) : personName(user);
    const list = groups.get(domain) ?? [];
    list.push(item);
    groups.set(domain, list);
  }
  const withoutEmail = groups.get('');
  groups.delete('');
  return [
    ...[...groups].map(([domain, items]) => ({ domain, items })),
    ...(withoutEmail ? [{ domain: '', items: withoutEmail }] : []),
  ];
}

function failuresByReason(failed: readonly PersonOutcome[]) {
  const byReason = new Map<string, PersonOutcome['user'][]>();
  for (const o of failed) {
    const reason = o.reason?.trim() ? truncateText(o.reason.trim(), 160) : 'no reason given';
    const users = byReason.get(reason) ?? [];
    users.push(o.user);
    byReason.set(reason, users);
  }
  return [...byReason].map(([reason, users]) => ({
    title: `${OUTCOME_TITLES.failed}, ${escapeMrkdwn(reason)}`,
    users,
  }));
}

/** Fills sections with text and replies with sections, in order. */
class Packer {
  private readonly replies: string[][] = [];
  private sections: string[] = [];
  private text = '';
  private itemsInParagraph = 0;

  startParagraph(heading: string): void {
    const joined = this.text === '' ? heading : `${this.text}\n${heading}`;
    if (joined.length > SECTION_CHARS - 100) {
      this.closeSection();
      this.text = heading;
    } else this.text = joined;
    this.itemsInParagraph = 0;
  }

  fits(item: string): boolean {
    const sep = this.itemsInParagraph === 0 ? '' : SEPARATOR;
    return this.text.length + sep.length + item.length <= SECTION_CHARS;
  }

  add(item: string): void {
    this.text += (this.itemsInParagraph === 0 ? '' : SEPARATOR) + item;
    this.itemsInParagraph += 1;
  }

  closeSection(): void {
    if (this.text === '') return;
    this.sections.push(this.text);
    this.text = '';
    if (this.sections.length === SECTIONS_PER_REPLY) {
      this.replies.push(this.sections);
      this.sections = [];
    }
  }

  messages(): SlackMessage[] {
    this.closeSection();
    if (this.sections.length > 0) this.replies.push(this.sections);
    this.sections = [];
    return this.replies.map((sections, i) => ({
      text: plainFallback(`Names, part ${i + 1} of ${this.replies.length}`),
      blocks: sections.map((t) => section(t)),
    }));
  }
}
