import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, plainFallback, type SlackMessage, section } from './blocks.js';

/** `/groups help`: the grammar's help text, split into sections that each fit Slack's 3000 characters. */
export function helpMessage(helpMrkdwn: string): SlackMessage {
  return { text: 'How to use /groups', blocks: paragraphs(helpMrkdwn) };
}

/** A command the bot could not parse: what was wrong, then the right form (both mrkdwn from the grammar). */
export function usageErrorMessage(error: { message: string; usage: string }): SlackMessage {
  return {
    text: plainFallback(error.message),
    blocks: [section(`:warning: ${error.message}`), section(`*Usage:*\n${error.usage}`)],
  };
}

/** Splits mrkdwn at blank lines (then at line ends) into sections of at most ~2,800 characters. */
function paragraphs(mrkdwn: string): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of mrkdwn.split('\n')) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > 2800 && current !== '') {
      blocks.push(section(current));
      current = line;
    } else {
      current = next;
    }
  }
  if (current.trim() !== '') blocks.push(section(current));
  return blocks.slice(0, 45);
}

/** Plain user text shown back inside a sentence. */
export function quoted(text: string): string {
  return `“${escapeMrkdwn(truncateText(text.replace(/\s+/g, ' ').trim(), 100))}”`;
}
