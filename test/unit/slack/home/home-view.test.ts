import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import {
  HOME_MAX_BLOCKS,
  HOME_SHOWN,
  homeMoreModal,
  homeView,
} from '../../../../src/slack/views/home/home-view.js';
import { findElement, validateView } from '../../../fakes/fake-slack/index.js';

const now = new Date('2026-12-01T10:00:00.000Z');
const request = (i: number) => ({
  id: `req${i}`,
  action: 'add' as const,
  group: { id: '1', name: 'Design' },
  plan: {
    action: 'add' as const,
    group: { id: '1', name: 'Design' },
    toChange: [],
    unchanged: [],
    unresolved: [],
  },
  requestedBy: { slackUserId: 'U1', name: 'Ann' },
  createdAt: '2026-12-01T09:00:00.000Z',
  expiresAt: '2026-12-08T09:00:00.000Z',
});
const end = (i: number) => ({
  groupId: String(i),
  groupName: `Group ${i}`,
  userId: '9',
  endsAt: '2026-12-20T00:00:00.000Z',
  setBy: `add${i}`,
});
const audit = (i: number) => ({
  id: `a${i}`,
  at: '2026-12-01T08:00:00.000Z',
  event: 'applied' as const,
  actor: { slackUserId: 'U2' },
  action: 'add' as const,
  groupId: '1',
  groupName: 'Design',
  outcomes: [],
  changeId: `c${i}`,
});
const identity = {
  linked: true as const,
  name: 'Ann',
  email: 'ann@example.com',
  isAdmin: true,
  ownedGroups: 0,
};

describe('the Home tab view', () => {
  it('never passes 100 blocks however long the lists are: the rest is behind "More", and Slack accepts it', () => {
    const view = homeView({
      identity,
      mine: Array.from({ length: 300 }, (_, i) => request(i)),
      memberships: Array.from({ length: 300 }, (_, i) => end(i)),
      decidable: Array.from({ length: 300 }, (_, i) => request(1000 + i)),
      recent: Array.from({ length: 30 }, (_, i) => audit(i)),
      syncs: {
        list: Array.from({ length: 50 }, (_, i) => ({
          groupId: String(i),
          groupName: `Group ${i}`,
          source: { key: `usergroup:S${i}`, label: `@team${i}` },
          addOnly: false,
          createdBy: { slackUserId: 'U1' },
          createdAt: '2026-12-01T08:00:00.000Z',
          nextRunAt: '2026-12-01T11:00:00.000Z',
        })),
        intervalMs: 3_600_000,
      },
      now,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(JSON.stringify(view)).toContain('/groups syncs');
    expect(validateView(view)).toMatchObject({ ok: true });
    const more = (view.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap(
      (b) => b.elements?.filter((e) => e.action_id === ACTION.homeMore) ?? [],
    );
    expect(more.map((e) => e.value)).toEqual(['mine', 'memberships', 'decidable']);
    expect(JSON.stringify(view)).toContain(`More (${300 - HOME_SHOWN.decidable})`);
  });

  it('"More" lists what the Home did not, with the same buttons, inside a modal’s limits', () => {
    const decidable = Array.from({ length: 40 }, (_, i) => request(i));
    const modal = homeMoreModal({ list: 'decidable', decidable, now });
    expect(validateView(modal)).toMatchObject({ ok: true });
    expect(JSON.stringify(modal)).toContain(`req${HOME_SHOWN.decidable}`);
    expect(JSON.stringify(modal)).not.toContain(`"req${HOME_SHOWN.decidable - 1}"`);
    expect(findElement(modal.blocks as unknown[], ACTION.requestApprove)).toBeDefined();
  });

  it('a member who is neither administrator nor owner sees no decisions or recent changes', () => {
    const view = homeView({
      identity: { ...identity, isAdmin: false },
      mine: [],
      memberships: [],
      decidable: null,
      recent: null,
      now,
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain('Requests you may decide');
    expect(text).not.toContain('Recent changes');
    expect(text).toContain(ACTION.homeOpenModal);
  });

  it('a standing sync’s held run has Apply this run and Skip it, exactly as on its card', () => {
    const held = {
      ...request(1),
      action: 'sync' as const,
      plan: { ...request(1).plan, action: 'sync' as const, toRemove: [] },
      standingSync: { groupId: '1', brake: { reason: 'empty_source' as const, removals: 3 } },
    };
    const view = homeView({
      identity,
      mine: [],
      memberships: [],
      decidable: [held, request(2)],
      recent: [],
      syncs: { list: [], intervalMs: 3_600_000 },
      now,
    });
    expect(validateView(view)).toMatchObject({ ok: true });
    const buttons = (value: string) =>
      (view.blocks as { elements?: { action_id?: string; value?: string; text?: { text: string } }[] }[])
        .flatMap((b) => b.elements ?? [])
        .filter((e) => e.value === value)
        .map((e) => [e.action_id, e.text?.text]);
    expect(buttons('req1')).toEqual([
      [ACTION.requestApprove, 'Apply this run'],
      [ACTION.syncSkip, 'Skip it'],
    ]);
    expect(buttons('req2')).toEqual([
      [ACTION.requestApprove, 'Approve'],
      [ACTION.requestDeny, 'Deny'],
    ]);
  });
});
