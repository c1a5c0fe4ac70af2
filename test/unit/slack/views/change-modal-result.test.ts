import { describe, expect, it } from 'vitest';
import type { MemberPage } from '../../../../src/membership/list-members.js';
import type { KantataUser } from '../../../../src/membership/types.js';
import { changeModalMembers } from '../../../../src/slack/views/change-modal-members.js';
import { changeModalProgress } from '../../../../src/slack/views/change-modal-progress.js';
import { changeModalRequested, changeModalResult } from '../../../../src/slack/views/change-modal-result.js';
import {
  changeModalError,
  preparingPreviewModal,
  workingModal,
} from '../../../../src/slack/views/change-modal-status.js';
import { validateView } from '../../../fakes/fake-slack/index.js';

// biome-ignore lint/suspicious/noExplicitAny: reading Block Kit JSON loosely
type Loose = any;

const group = { id: '7', name: 'Design' };
const text = (view: Loose) => JSON.stringify(view.blocks);

function user(i: number): KantataUser {
  return {
    id: String(i),
    name: `Member ${i}`,
    email: `m${i}@example.com`,
    disabled: false,
    isAdministrator: false,
  };
}

describe('changeModalProgress', () => {
  it('reads "Adding 400 of 1,000" with a bar', () => {
    const view = changeModalProgress({ action: 'add', group, done: 400, total: 1000 }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(text(view)).toContain('Adding 400 of 1,000 to *Design*');
    expect(text(view)).toContain('▓▓▓▓░░░░░░');
    expect(view.submit).toBeUndefined();
  });

  it('reads "Removing" for a removal', () => {
    expect(text(changeModalProgress({ action: 'remove', group, done: 1, total: 2 }))).toContain(
      'Removing 1 of 2 from',
    );
  });
});

describe('changeModalResult', () => {
  it('gives the per-person result, failures with Kantata’s reason', () => {
    const view = changeModalResult({
      change: { id: 'chg_9', status: 'partially_applied', action: 'add', group },
      notifyChannelId: 'C0NOTIFY',
      report: {
        action: 'add',
        group,
        outcomes: [
          { user: user(1), outcome: 'added' },
          { user: user(2), outcome: 'added' },
          { user: user(3), outcome: 'already_member' },
          { user: user(4), outcome: 'failed', reason: 'User is not active' },
        ],
        unresolved: [{ label: 'bot', reason: 'bot' }],
      },
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.title.text).toBe('Partly applied');
    const all = text(view);
    expect(view.blocks[0].text.text).toBe('Added 2 of 3 people to Design');
    expect(all).toContain('*Added (2):* Member 1');
    expect(all).toContain('Member 4 (m4@example.com): User is not active');
    expect(all).toContain('*Already members (1):*');
    expect(all).toContain('*Could not be included (1):*');
    expect(all).toContain('<#C0NOTIFY>');
  });

  it('stays within limits for thousands of outcomes', () => {
    const outcomes = Array.from({ length: 3000 }, (_, i) => ({
      user: user(i),
      outcome: i % 3 === 0 ? ('failed' as const) : ('removed' as const),
      reason: 'Kantata said no, at some length '.repeat(3),
    }));
    const view = changeModalResult({
      change: { id: 'chg_9', status: 'partially_applied', action: 'remove', group },
      report: { action: 'remove', group, outcomes, unresolved: [] },
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.blocks[0].text.text).toBe('Removed 2,000 of 3,000 people from Design');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(text(view)).toMatch(/…and [\d,]+ more/);
  });
});

describe('changeModalRequested', () => {
  it('says the request waits for an administrator, where, and when it expires', () => {
    const view = changeModalRequested({
      change: {
        action: 'remove',
        group,
        plan: { action: 'remove', group, toChange: [user(1)], unchanged: [], unresolved: [] },
        expiresAt: '2030-01-08T00:00:00.000Z',
      },
      approvalsChannelId: 'C0APPROVE',
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.title.text).toBe('Request sent');
    expect(text(view)).toContain('remove *1 person* from *Design*');
    expect(text(view)).toContain('<#C0APPROVE>');
    expect(text(view)).toContain('<!date^');
  });
});

describe('changeModalMembers', () => {
  const page = (n: number, total: number): MemberPage => ({
    members: Array.from({ length: n }, (_, i) => user(i)),
    total,
    page: 1,
    pageCount: Math.max(1, Math.ceil(total / 100)),
  });

  it('lists the first page with the count and points to the command for the rest', () => {
    const view = changeModalMembers({ group, page: page(100, 250) }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const all = text(view);
    expect(all).toContain('250 members');
    expect(all).toContain('• Member 0 (m0@example.com)');
    expect(all).toContain('Member 99');
    expect(all).toContain('Showing the first 100 of 250');
    expect(all).toContain('/groups members \\"Design\\"');
  });

  it('says when a group is empty', () => {
    const view = changeModalMembers({ group, page: page(0, 0) }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(text(view)).toContain('This group has no members.');
    expect(text(view)).not.toContain('Showing the first');
  });
});

describe('status views', () => {
  it('are valid modals without a submit button', () => {
    for (const view of [
      preparingPreviewModal(),
      workingModal('apply'),
      workingModal('request'),
      changeModalError('Oops <!channel>'),
    ]) {
      expect(validateView(view)).toEqual({ ok: true });
      expect((view as Loose).submit).toBeUndefined();
    }
  });
});
