import type { types } from '@slack/bolt';
import { truncateText } from '../text/truncate-text.js';

/** Modal title, submit and close: plain text of at most 24 characters. */
export function plainText(text: string, max = 24): types.PlainTextElement {
  return { type: 'plain_text', text: truncateText(text, max), emoji: true };
}

export function mrkdwnSection(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateText(text, 3_000) } };
}

export function contextLine(text: string): types.KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateText(text, 2_000) }] };
}
