import { expect } from 'vitest';
import type { SlackMessage } from '../../../../src/slack/views/blocks.js';
import { validateMessageBlocks } from '../../../fakes/fake-slack/index.js';

/** Slack answers msg_blocks_too_long at about 13k characters of blocks (reference §5). */
export const SLACK_BLOCK_CHARS = 13_000;

/** What Slack would refuse: the fake's Block Kit checks plus the total-size limit the fake does not check. */
export function expectWithinLimits(message: SlackMessage): void {
  const result = validateMessageBlocks(message.blocks);
  expect(result).toEqual({ ok: true });
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(JSON.stringify(message.blocks).length).toBeLessThan(SLACK_BLOCK_CHARS);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
}

/** All mrkdwn and plain text of a message, joined. */
export function allText(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

export function users(n: number, prefix = 'Person') {
  return Array.from({ length: n }, (_, i) => ({
    id: String(1000 + i),
    name: `${prefix} ${i}`,
    email: `${prefix.toLowerCase()}${i}@example.com`,
    disabled: false,
    isAdministrator: false,
  }));
}
