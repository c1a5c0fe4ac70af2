import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { truncateText } from '../text/truncate-text.js';

/**
 * User text echoed in an error, as a short code span: escaped so a mention in it cannot ping, without
 * backticks that would end the span early, and cut so a 10 KB word does not become a 10 KB reply.
 */
export function shown(text: string): string {
  const flat = text.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return `\`${escapeMrkdwn(truncateText(flat, 60))}\``;
}
