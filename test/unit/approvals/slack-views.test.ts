import { describe, expect, it } from 'vitest';
import type { AuditEntry, Change } from '../../../src/approvals/types.js';
import type { KantataUser } from '../../../src/membership/types.js';
import { ACTION, VIEW } from '../../../src/slack/ids.js';
import { approvalCard } from '../../../src/slack/views/approval-card.js';
import { requesterDm } from '../../../src/slack/views/approval-dm.js';
import { approvalThreadReplies } from '../../../src/slack/views/approval-thread.js';
import { denyModal, denyRefusedModal } from '../../../src/slack/views/deny-modal.js';
import { historyListMessage } from '../../../src/slack/views/history-list.js';
import { formatAge } from '../../../src/slack/views/requests-age.js';
import { requestsListMessage } from '../../../src/slack/views/requests-list.js';
import { findElement, validateMessageBlocks, validateView } from '../../fakes/fake-slack/index.js';

const users = (n: number): KantataUser[] =>
  Array.from({ length: n }, (_, i) => ({
    id: String(1000 + i),
    name: `Person <@U${i}> & "Co" ${i}`,
    email: `person.${i}@example.com`,
    disabled: false,
    isAdministrator: false,
  }));

function request(overrides: Partial<Change> = {}, people = 3): Change {
  const toChange = users(people);
  return {
    id: 'chg123',
    status: 'pending',
    action: 'add',
    group: { id: '7', name: 'Design <!channel>' },
    plan: { action: 'add', group: { id: '7', name: 'Design' }, toChange, unchanged: [], unresolved: [] },
    requestedBy: { slackUserId: 'U0REQUEST', name: 'Rita' },
    reason: 'Please <!everyone> add them',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

/** What Slack reads as mrkdwn (where `<!channel>` would ping): the fallback and every mrkdwn text object. */
function mrkdwnOf(m: { text: string; blocks: unknown[] }): string {
  const found: string[] = [m.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') found.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return found.join('\n');
}

describe('approvalCard', () => {
  it('pending: Approve, Deny and Withdraw carry only the change id; user text is escaped', () => {
    const card = approvalCard({ change: request() });
    expect(validateMessageBlocks(card.blocks)).toEqual({ ok: true });
    for (const id of [ACTION.requestApprove, ACTION.requestDeny, ACTION.requestWithdraw]) {
      expect(findElement(card.blocks, id)?.element.value).toBe('chg123');
    }
    expect(mrkdwnOf(card)).not.toContain('<!everyone>');
    expect(mrkdwnOf(card)).not.toContain('<!channel>');
    expect(text(card)).toContain('&lt;!everyone&gt;');
  });

  it.each([
    [
      'denied',
      {
        decidedBy: { slackUserId: 'U0ADMIN' },
        decidedAt: '2026-11-21T10:00:00Z',
        decisionReason: 'No <!here>',
      },
      '❌ *DENIED* by <@U0ADMIN>',
    ],
    ['expired', {}, '⌛ *EXPIRED*'],
    ['cancelled', { decidedBy: { slackUserId: 'U0REQUEST' } }, '🚫 *CANCELLED*'],
    ['approved', { decidedBy: { slackUserId: 'U0ADMIN' } }, '✅ *APPROVED* by <@U0ADMIN>'],
  ] as const)('%s: no buttons, and says so', (status, extra, says) => {
    const card = approvalCard({ change: request({ status, ...extra }) });
    expect(validateMessageBlocks(card.blocks)).toEqual({ ok: true });
    expect(findElement(card.blocks, ACTION.requestApprove)).toBeUndefined();
    expect(text(card)).toContain(says);
    expect(text(card)).not.toContain('<!here>');
  });

  it('applied: shows the outcome; 1,000 people stay within Block Kit limits', () => {
    const change = request({ status: 'applied', decidedBy: { slackUserId: 'U0ADMIN' } }, 1000);
    change.report = {
      action: 'add',
      group: change.group,
      outcomes: change.plan.toChange.map((user) => ({ user, outcome: 'added' as const })),
      unresolved: [],
    };
    const card = approvalCard({ change });
    expect(validateMessageBlocks(card.blocks)).toEqual({ ok: true });
    expect(text(card)).toContain('Added 1,000 people');
    expect(mrkdwnOf(card)).not.toContain('<!channel>');
    expect(text(card)).toContain('…and');
    const replies = approvalThreadReplies({ change });
    for (const reply of replies) expect(validateMessageBlocks(reply.blocks)).toEqual({ ok: true });
    const all = replies.map(text).join('\n');
    expect(all).toContain('person.0@example.com');
    expect(all).toContain('person.999@example.com');
    const dm = requesterDm({ change });
    expect(dm && validateMessageBlocks(dm.blocks)).toEqual({ ok: true });
    expect(dm && mrkdwnOf(dm)).not.toContain('<!channel>');
  });

  it('shows progress while an approved request is applied', () => {
    const card = approvalCard({
      change: request({ status: 'applying', decidedBy: { slackUserId: 'U0ADMIN' } }, 10),
      progress: { done: 4, total: 10 },
    });
    expect(text(card)).toContain('Adding 4 of 10 ▓▓▓▓░░░░░░');
  });
});

describe('requesterDm', () => {
  it('has nothing to say while the request is pending', () => {
    expect(requesterDm({ change: request() })).toBeNull();
  });

  it('denied: with the escaped reason', () => {
    const dm = requesterDm({ change: request({ status: 'denied', decisionReason: 'Use <#C1> instead' }) });
    expect(dm && text(dm)).toContain('Use &lt;#C1&gt; instead');
  });
});

describe('denyModal', () => {
  it('is a valid modal carrying only the change id', () => {
    const modal = denyModal({ changeId: 'chg123', summary: 'add 3 people to *Design*' });
    expect(validateView(modal)).toEqual({ ok: true });
    expect(modal.callback_id).toBe(VIEW.denyModal);
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual({ changeId: 'chg123' });
    expect(validateView(denyRefusedModal('No.'))).toEqual({ ok: true });
    expect(denyRefusedModal('No.').submit).toBeUndefined();
  });
});

describe('requestsListMessage', () => {
  it('shows age and expiry, and at most 20 requests', () => {
    const many = Array.from({ length: 25 }, (_, i) => request({ id: `r${i}` }));
    const message = requestsListMessage({
      requests: many,
      scope: 'all',
      now: new Date('2026-11-21T12:00:00Z'),
      approvalsChannelId: 'C0APPROVE',
    });
    expect(validateMessageBlocks(message.blocks)).toEqual({ ok: true });
    expect(text(message)).toContain('requested 1 day ago');
    expect(text(message)).toContain('expires in 5 days');
    expect(text(message)).toContain('r19');
    expect(text(message)).not.toContain('r20');
    expect(text(message)).toContain('…and 5 more');
  });

  it('says when there is nothing pending', () => {
    const message = requestsListMessage({
      requests: [],
      scope: 'mine',
      now: new Date(),
      approvalsChannelId: 'C1',
    });
    expect(message.text).toBe('You have no pending requests.');
  });
});

describe('historyListMessage', () => {
  it('one escaped line per entry, with who approved and the counts', () => {
    const entry: AuditEntry = {
      id: 'a1',
      at: '2026-11-21T12:00:00Z',
      event: 'partially_applied',
      actor: { slackUserId: 'U0REQUEST' },
      approver: { slackUserId: 'U0ADMIN' },
      action: 'add',
      groupId: '7',
      groupName: 'Design <!channel>',
      outcomes: [
        { userId: '1', name: 'Ann', email: 'ann@example.com', outcome: 'added' },
        { userId: '2', name: 'Bob', email: 'bob@example.com', outcome: 'failed', reason: 'disabled' },
      ],
      reason: 'why <!here>',
      changeId: 'chg123',
    };
    const message = historyListMessage({ entries: Array.from({ length: 20 }, () => entry) });
    expect(validateMessageBlocks(message.blocks)).toEqual({ ok: true });
    const all = text(message);
    expect(all).toContain(
      '<@U0REQUEST> *added* 1 person to *Design &lt;!channel&gt;* (approved by <@U0ADMIN>) (1 failed)',
    );
    expect(all).not.toContain('<!here>');
  });

  /** An applied one-person add with this change id. */
  const appliedWithId = (changeId: string): AuditEntry => ({
    id: `a-${changeId}`,
    at: '2026-11-21T12:00:00Z',
    event: 'applied',
    actor: { slackUserId: 'U0ADMIN' },
    action: 'add',
    groupId: '7',
    groupName: 'Design',
    outcomes: [{ userId: '1', name: 'Ann', email: 'ann@example.com', outcome: 'added' }],
    changeId,
  });

  it('shows every change id exactly as it is, underscores at its edges included (base64url ids)', () => {
    // newChangeId is base64url: about 1 id in 30 starts or ends with `_`, which mrkdwn escaping changed.
    for (const changeId of ['_abc-_DEF9_', 'x_-y', 'plain123']) {
      const entry = appliedWithId(changeId);
      expect(text(historyListMessage({ entries: [entry] }))).toContain(`change \`${changeId}\``);
    }
  });

  it('keeps a stored id that is not one of ours inert inside its code span', () => {
    const all = text(historyListMessage({ entries: [appliedWithId('a`b<!channel>&')] }));
    expect(all).toContain('change `a\u02CBb&lt;!channel&gt;&amp;`');
    expect(all).not.toContain('<!channel>');
  });
});

describe('formatAge', () => {
  it.each([
    [0, 'less than a minute'],
    [-5, 'less than a minute'],
    [61_000, '1 minute'],
    [2 * 3_600_000 + 5, '2 hours'],
    [3 * 86_400_000, '3 days'],
    [Number.NaN, 'less than a minute'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });
});
