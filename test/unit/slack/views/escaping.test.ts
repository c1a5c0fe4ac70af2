import { describe, expect, it } from 'vitest';
import type { AuditEntry, Change } from '../../../../src/approvals/types.js';
import type { ApplyReport, Group, KantataUser, Plan } from '../../../../src/membership/types.js';
import { applyingMessage, applyProgressMessage } from '../../../../src/slack/views/apply-progress-message.js';
import { approvalCard } from '../../../../src/slack/views/approval-card.js';
import { requesterDm } from '../../../../src/slack/views/approval-dm.js';
import { approvalThreadReplies } from '../../../../src/slack/views/approval-thread.js';
import { changeModalMembers } from '../../../../src/slack/views/change-modal-members.js';
import { changePreviewModal } from '../../../../src/slack/views/change-modal-preview.js';
import { changeModalProgress } from '../../../../src/slack/views/change-modal-progress.js';
import { changeModalRequested, changeModalResult } from '../../../../src/slack/views/change-modal-result.js';
import {
  cancelledMessage,
  requestSavedCardFailedMessage,
  requestSentMessage,
} from '../../../../src/slack/views/change-status-messages.js';
import { groupListMessage } from '../../../../src/slack/views/group-list-message.js';
import { historyListMessage } from '../../../../src/slack/views/history-list.js';
import { linkedMessage, whoamiMessage } from '../../../../src/slack/views/identity-messages.js';
import { membersMessage } from '../../../../src/slack/views/members-message.js';
import {
  notificationMessage,
  notificationThreadMessages,
} from '../../../../src/slack/views/notification-message.js';
import { previewMessage } from '../../../../src/slack/views/preview-message.js';
import { requestsListMessage } from '../../../../src/slack/views/requests-list.js';
import { resultMessage } from '../../../../src/slack/views/result-message.js';
import { undoPreviewMessage } from '../../../../src/slack/views/undo-preview.js';
import { validateMessageBlocks, validateView } from '../../../fakes/fake-slack/index.js';

/**
 * SPEC §4 / issue 15 item 6: whatever a name, a group name, a reason or an email holds, it reaches Slack as
 * text that shows and does nothing: no ping, no link, no formatting, in the blocks and in the fallback
 * `text` (which Slack also reads as mrkdwn), and every view stays within Slack's limits.
 */
const HOSTILE = [
  '<!here>',
  '<!channel>',
  '<http://x|y>',
  '*b*',
  '`code`',
  '~s~ _i_',
  'R&D',
  'a < b',
  'x'.repeat(3000),
] as const;

type Shown = { text: string; blocks: unknown[] } | { type: string; blocks: unknown[] };

function fixtures(name: string) {
  const group: Group = { id: '7', name };
  const user = (i: number): KantataUser => ({
    id: String(100 + i),
    name: `${name} ${i}`,
    email: `${name}.${i}@example.com`,
    disabled: false,
    isAdministrator: false,
  });
  const people = Array.from({ length: 30 }, (_, i) => user(i));
  const plan: Plan = {
    action: 'add',
    group,
    toChange: people,
    unchanged: [user(90)],
    unresolved: [{ label: name, reason: 'no_kantata_user', detail: name }],
  };
  const report: ApplyReport = {
    action: 'add',
    group,
    outcomes: [
      ...people.map((u) => ({ user: u, outcome: 'added' as const })),
      { user: user(91), outcome: 'failed' as const, reason: name },
    ],
    unresolved: plan.unresolved,
  };
  const actor = { slackUserId: 'U0ADA', name, kantataUserId: '5' };
  const change: Change = {
    id: 'chg1',
    status: 'applied',
    action: 'add',
    group,
    plan,
    requestedBy: { slackUserId: 'U0REQ', name },
    reason: name,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-11-27T10:00:00.000Z',
    decidedBy: actor,
    decidedAt: '2026-11-20T10:05:00.000Z',
    decisionReason: name,
    appliedBy: actor,
    appliedAt: '2026-11-20T10:06:00.000Z',
    report,
  };
  const audit: AuditEntry = {
    id: 'a1',
    at: '2026-11-20T10:06:00.000Z',
    event: 'applied',
    actor,
    approver: actor,
    action: 'add',
    groupId: '7',
    groupName: name,
    outcomes: report.outcomes.map((o) => ({
      userId: o.user.id,
      name: o.user.name,
      email: o.user.email,
      outcome: o.outcome,
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    reason: name,
    changeId: 'chg1',
  };
  const linkAudits: AuditEntry[] = [
    {
      id: 'l1',
      at: '2026-11-20T10:07:00.000Z',
      event: 'linked',
      actor,
      slackUserId: 'U0NEW',
      kantataUserId: name,
      kantataUserName: name,
      kantataUserEmail: name,
    },
    {
      id: 'l2',
      at: '2026-11-20T10:08:00.000Z',
      event: 'unlinked',
      actor,
      slackUserId: 'U0NEW',
      kantataUserId: name,
    },
  ];
  return { group, people, plan, report, change, audit, linkAudits, actor };
}

function views(name: string): [string, Shown][] {
  const f = fixtures(name);
  const statuses = ['pending', 'approved', 'applied', 'denied', 'expired', 'cancelled'] as const;
  const page = { members: f.people, total: 30, page: 1, pageCount: 1 };
  const previewed: Change = { ...f.change, status: 'previewed' };
  const undo: Change = { ...previewed, undoOf: 'chg0' };
  const pending: Change = { ...f.change, status: 'pending' };
  return [
    ['preview', previewMessage({ change: previewed, allowed: { canApply: true, canRequest: false } })],
    ['undo preview', undoPreviewMessage({ undo, original: f.change })],
    ['applying', applyingMessage({ action: 'add', group: f.group, total: 30 })],
    ['progress', applyProgressMessage({ action: 'add', group: f.group, done: 10, total: 30 })],
    ['result', resultMessage({ change: f.change, report: f.report })],
    ['notification', notificationMessage({ change: f.change, report: f.report, undoAvailable: true })],
    ...notificationThreadMessages({ change: f.change, report: f.report }).map((m, i): [string, Shown] => [
      `notification thread ${i}`,
      m,
    ]),
    ...statuses.map((status): [string, Shown] => [
      `card ${status}`,
      approvalCard({ change: { ...f.change, status } }),
    ]),
    [
      'card progress',
      approvalCard({ change: { ...f.change, status: 'approved' }, progress: { done: 3, total: 30 } }),
    ],
    ...statuses.flatMap((status) => {
      const dm = requesterDm({ change: { ...f.change, status } });
      return dm ? [[`dm ${status}`, dm] as [string, Shown]] : [];
    }),
    ...statuses.flatMap((status) =>
      approvalThreadReplies({ change: { ...f.change, status } }).map((m, i): [string, Shown] => [
        `thread ${status} ${i}`,
        m,
      ]),
    ),
    ['request sent', requestSentMessage({ change: f.change, approvalsChannelId: 'C0APPROVE' })],
    ['request card failed', requestSavedCardFailedMessage({ change: f.change, refId: 'ABCD' })],
    ['cancelled', cancelledMessage(f.change)],
    ['group list', groupListMessage({ groups: [f.group, { id: '8', name }], search: name })],
    ['group list empty', groupListMessage({ groups: [], search: name })],
    ['history', historyListMessage({ entries: [f.audit], group: f.group })],
    ['history with links', historyListMessage({ entries: [...f.linkAudits, f.audit] })],
    ['history empty', historyListMessage({ entries: [], group: f.group })],
    [
      'requests',
      requestsListMessage({
        requests: [pending],
        scope: 'all',
        now: new Date('2026-11-21T10:00:00.000Z'),
        approvalsChannelId: 'C0APPROVE',
      }),
    ],
    ['members', membersMessage({ group: f.group, page })],
    [
      'members empty',
      membersMessage({ group: f.group, page: { members: [], total: 0, page: 1, pageCount: 0 } }),
    ],
    [
      'whoami',
      whoamiMessage({
        slackUserId: 'U0ADA',
        user: f.people[0] as KantataUser,
        via: 'email',
        isAdmin: true,
        allowed: { canApply: true, canRequest: false },
      }),
    ],
    ['linked', linkedMessage({ slackUserId: 'U0ADA', user: f.people[0] as KantataUser, isAdmin: false })],
    ['modal preview', changePreviewModal({ change: f.change, mode: 'apply' })],
    ['modal progress', changeModalProgress({ action: 'add', group: f.group, done: 3, total: 30 })],
    ['modal result', changeModalResult({ change: f.change, report: f.report, notifyChannelId: 'C0NOTIFY' })],
    ['modal requested', changeModalRequested({ change: f.change, approvalsChannelId: 'C0APPROVE' })],
    ['modal members', changeModalMembers({ group: f.group, page })],
  ];
}

/** Every string Slack reads as mrkdwn: the fallback `text` and every mrkdwn text object. */
function mrkdwnStrings(shown: Shown): string[] {
  const found: string[] = 'text' in shown && typeof shown.text === 'string' ? [shown.text] : [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') found.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(shown.blocks);
  return found;
}

// The bot's own control sequences: user mentions, channel links and dates. Anything else after `<` is not ours.
const FOREIGN_CONTROL = /<(?!@[UW][A-Z0-9]+>|#C[A-Z0-9]+>|!date\^)/;
const RAW_AMPERSAND = /&(?!amp;|lt;|gt;)/;

describe.each(HOSTILE)('a name %j', (name) => {
  const formatting = ['*b*', '`code`', '~s~', '_i_'].filter((f) => name.includes(f));
  it.each(views(name))('is inert in the %s view (blocks and fallback text)', (_view, shown) => {
    const texts = mrkdwnStrings(shown);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toMatch(FOREIGN_CONTROL);
      expect(text).not.toMatch(RAW_AMPERSAND);
      expect(text).not.toMatch(/<!(here|channel|everyone)/);
      for (const f of formatting) expect(text).not.toContain(f);
    }
    const valid = 'type' in shown ? validateView(shown) : validateMessageBlocks(shown.blocks);
    expect(valid).toEqual({ ok: true });
    if ('text' in shown) expect(shown.text.length).toBeLessThanOrEqual(3000);
  });
});
