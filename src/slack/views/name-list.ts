import type { KantataUser } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { truncateText } from '../text/truncate-text.js';

/** How much of a long list is shown, and how the rest is announced. */
export type Fit = { text: string; shown: number; more: number };

const more = (n: number) => `…and ${formatCount(n)} more`;

/**
 * Joins already-escaped items with `separator` within `maxChars`, ending with "…and N more" when not all fit.
 * Linear in what is shown, not in the list: 10,000 names cost no more than 50.
 */
export function fitItems(items: readonly string[], maxChars: number, separator = ', '): Fit {
  let text = '';
  let shown = 0;
  for (const item of items) {
    const next = shown === 0 ? item : `${text}${separator}${item}`;
    const rest = items.length - shown - 1;
    const reserve = rest > 0 ? separator.length + more(rest).length : 0;
    if (next.length + reserve > maxChars) break;
    text = next;
    shown += 1;
  }
  const hidden = items.length - shown;
  if (hidden > 0) text = shown === 0 ? more(hidden) : `${text}${separator}${more(hidden)}`;
  return { text, shown, more: hidden };
}

/** Lines (one person or group each), within `maxChars`. */
export function fitLines(lines: readonly string[], maxChars: number): Fit {
  return fitItems(lines, maxChars, '\n');
}

/** "Ann Smith (ann@example.com)", escaped; names and emails come from Kantata, where anyone can type them. */
export function personLabel(user: Pick<KantataUser, 'name' | 'email' | 'id'>): string {
  const name = truncateText(user.name.trim() || `id:${user.id}`, 80);
  const email = user.email.trim();
  return email ? `${escapeMrkdwn(name)} (${escapeMrkdwn(truncateText(email, 80))})` : escapeMrkdwn(name);
}

/** Names only, for the channel notification's short form. */
export function personName(user: Pick<KantataUser, 'name' | 'id'>): string {
  return escapeMrkdwn(truncateText(user.name.trim() || `id:${user.id}`, 80));
}
