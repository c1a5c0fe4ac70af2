import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../src/approvals/types.js';
import type { Plan, Unresolved } from '../../../../src/membership/types.js';
import { ACTION } from '../../../../src/slack/ids.js';
import { CONFIRM_ABOVE, previewMessage } from '../../../../src/slack/views/preview-message.js';
import { allText, expectWithinLimits, users } from './message-limits.js';

const group = { id: '42', name: 'Design' };

function change(plan: Partial<Plan>, extra: Partial<Change> = {}) {
  return {
    id: 'chg1',
    action: plan.action ?? 'add',
    group,
    reason: undefined as string | undefined,
    plan: { action: 'add' as const, group, toChange: [], unchanged: [], unresolved: [], ...plan },
    ...extra,
  };
}

const admin = { canApply: true, canRequest: false };
const member = { canApply: false, canRequest: true };

function buttons(message: ReturnType<typeof previewMessage>) {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as {
    action_id: string;
    value: string;
    confirm?: unknown;
    style?: string;
  }[];
}

describe('previewMessage', () => {
  it('shows who will be added, who already is a member and Apply for an administrator', () => {
    const message = previewMessage({
      change: change({ toChange: users(2), unchanged: users(1, 'Member') }),
      allowed: admin,
    });
    const text = allText(message);
    expect(text).toContain('Person 0 (person0@example.com)');
    expect(text).toContain('Already members (1)');
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTION.changeApply, ACTION.changeCancel]);
    expect(buttons(message).every((b) => b.value === 'chg1')).toBe(true);
    expect(buttons(message)[0]?.confirm).toBeUndefined();
    expectWithinLimits(message);
  });

  it('offers Request approval, never Apply, to someone who may only request', () => {
    const message = previewMessage({ change: change({ toChange: users(3) }), allowed: member });
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTION.changeRequest, ACTION.changeCancel]);
  });

  it(`asks for confirmation before applying to more than ${CONFIRM_ABOVE} people`, () => {
    const message = previewMessage({
      change: change({ toChange: users(CONFIRM_ABOVE + 1) }),
      allowed: admin,
    });
    expect(buttons(message)[0]?.confirm).toBeDefined();
    expectWithinLimits(message);
  });

  it('says when there is nothing to change and offers neither Apply nor Request', () => {
    const message = previewMessage({ change: change({ unchanged: users(4) }), allowed: admin });
    expect(allText(message)).toContain('everyone named is already a member');
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTION.changeCancel]);
    expect(message.text).toContain('Nothing to change');
  });

  it('explains each unresolved person in plain words, grouped by reason', () => {
    const unresolved: Unresolved[] = [
      { label: 'ann@nowhere.com', reason: 'no_kantata_user' },
      { label: 'bob@example.com', reason: 'disabled' },
      { label: 'Carol', reason: 'no_slack_email' },
      { label: '#general', reason: 'channel_not_supported' },
      { label: 'robot', reason: 'bot' },
      { label: 'guesty', reason: 'guest' },
      { label: 'twins@example.com', reason: 'several_matches' },
    ];
    const text = allText(
      previewMessage({ change: change({ toChange: users(1), unresolved }), allowed: admin }),
    );
    for (const phrase of [
      'No Kantata user has this email or id (1)',
      'Disabled in Kantata',
      'No email on their Slack profile',
      'Channel mentions are not supported',
      'Bots are not people in Kantata',
      'Slack guests cannot be added',
      'Several Kantata users have this email',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).toContain('ann@nowhere.com');
  });

  it('stays within Block Kit limits with 1,000 people in every list, and says how many are not shown', () => {
    const unresolved: Unresolved[] = Array.from({ length: 1000 }, (_, i) => ({
      label: `nobody${i}@example.com`,
      reason: i % 2 === 0 ? 'no_kantata_user' : 'several_matches',
    }));
    const message = previewMessage({
      change: change(
        { toChange: users(1000), unchanged: users(1000, 'Member'), unresolved },
        { reason: 'x'.repeat(5000) },
      ),
      allowed: admin,
    });
    expectWithinLimits(message);
    const text = allText(message);
    expect(text).toMatch(/…and [0-9,]+ more/);
    expect(text).toContain('(1,000)');
  });

  it('escapes user text so that group names, names and reasons cannot ping or link', () => {
    const evil = {
      id: '7',
      name: '<!channel> <@U123> & co',
      email: 'x@example.com',
      disabled: false,
      isAdministrator: false,
    };
    const message = previewMessage({
      change: {
        ...change({ toChange: [evil] }),
        group: { id: '1', name: '<!here> Team' },
        reason: 'because <!everyone> <https://evil.example|click>',
      },
      allowed: admin,
    });
    const text = allText(message);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!everyone>');
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; co');
  });
});
