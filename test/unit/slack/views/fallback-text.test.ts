import { describe, expect, it } from 'vitest';
import { cancelledMessage } from '../../../../src/slack/views/change-status-messages.js';
import { membersMessage } from '../../../../src/slack/views/members-message.js';
import { previewMessage } from '../../../../src/slack/views/preview-message.js';

// Slack reads a message's fallback `text` as mrkdwn: a group named like a broadcast must not ping.
const group = { id: '7', name: '<!channel> & <@U123>' };
const plan = { action: 'add' as const, group, toChange: [], unchanged: [], unresolved: [] };
const change = { id: 'c1', action: 'add' as const, group, plan, reason: undefined as string | undefined };

describe('fallback text', () => {
  it.each([
    ['preview', () => previewMessage({ change, allowed: { canApply: true, canRequest: false } }).text],
    ['members', () => membersMessage({ group, page: { members: [], total: 0, page: 1, pageCount: 0 } }).text],
    ['cancelled', () => cancelledMessage(change as never).text],
  ])('escapes a hostile group name in the %s message', (_name, text) => {
    const fallback = text();
    expect(fallback).not.toMatch(/<[!@#]/);
    expect(fallback).toContain('&lt;!channel&gt;');
  });
});
