import type { types } from '@slack/bolt';
import { truncateText } from '../text/truncate-text.js';

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** What every view returns: `text` is the notification fallback, `blocks` what people see. */
export type SlackMessage = { text: string; blocks: Block[] };

/**
 * Block Kit limits (reference §5). `messageChars` is our own budget for the text of all blocks together:
 * Slack answers `msg_blocks_too_long` at about 13k characters (bolt-js #2509), well before 50 full sections.
 */
export const LIMITS = {
  messageBlocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 3000,
  messageChars: 11_000,
} as const;

/** A header; plain text, cut to Slack's 150 characters. */
export function header(text: string): Block {
  return {
    type: 'header',
    text: { type: 'plain_text', text: nonEmpty(truncateText(text, LIMITS.headerText)) },
  };
}

/** A section of mrkdwn, cut to Slack's 3000 characters (callers escape user text first). */
export function section(mrkdwn: string): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: nonEmpty(truncateText(mrkdwn, LIMITS.sectionText)) },
  };
}

/** One line of small print. */
export function context(mrkdwn: string): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: nonEmpty(truncateText(mrkdwn, LIMITS.sectionText)) }],
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export type ButtonOptions = {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
};

export function button(options: ButtonOptions): ButtonElement {
  return {
    type: 'button',
    text: { type: 'plain_text', text: nonEmpty(truncateText(options.text, LIMITS.buttonText)) },
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: truncateText(options.confirm.title, LIMITS.confirmTitle) },
            text: { type: 'plain_text', text: truncateText(options.confirm.text, LIMITS.confirmText) },
            confirm: {
              type: 'plain_text',
              text: truncateText(options.confirm.confirm, LIMITS.confirmButton),
            },
            deny: { type: 'plain_text', text: truncateText(options.confirm.deny, LIMITS.confirmButton) },
          },
        }
      : {}),
  };
}

export function actions(buttons: ButtonElement[]): Block {
  return { type: 'actions', elements: buttons.slice(0, 25) };
}

/** A message of one section: answers, confirmations, errors. */
export function textMessage(mrkdwn: string, fallback?: string): SlackMessage {
  return { text: plainFallback(fallback ?? mrkdwn), blocks: [section(mrkdwn)] };
}

/**
 * The `text` next to the blocks: shown in notifications and by clients that cannot draw blocks. Kept short;
 * mrkdwn markers are harmless there.
 */
export function plainFallback(text: string): string {
  return nonEmpty(truncateText(text.replace(/\s+/g, ' ').trim(), LIMITS.fallbackText));
}

// Slack refuses empty text objects; a view never has a reason to send one.
function nonEmpty(text: string): string {
  return text.trim() === '' ? '-' : text;
}
