import { describe, expect, it } from 'vitest';
import type { ApplyReport, PersonOutcome } from '../../../../src/membership/types.js';
import { ACTION } from '../../../../src/slack/ids.js';
import {
  NAMES_IN_MESSAGE,
  namesGoToThread,
  notificationMessage,
  notificationThreadMessages,
} from '../../../../src/slack/views/notification-message.js';
import { allText, expectWithinLimits, users } from './message-limits.js';

const group = { id: '42', name: 'Design' };
const change = {
  id: 'chg1',
  action: 'add' as const,
  group,
  reason: 'New starters',
  requestedBy: { slackUserId: 'U0REQ', name: 'Rita' },
  decidedBy: { slackUserId: 'U0APPROVER', name: 'Alan' },
  appliedBy: { slackUserId: 'U0APPROVER', name: 'Alan' },
};

function added(n: number, failed = 0): ApplyReport {
  const outcomes: PersonOutcome[] = users(n + failed).map((user, i) =>
    i < n ? { user, outcome: 'added' } : { user, outcome: 'failed', reason: 'Kantata said no' },
  );
  return { action: 'add', group, outcomes, unresolved: [] };
}

/** People with ordinary work addresses (firstname.lastname@company domain), some refused for two reasons. */
function realistic(n: number, failed: number): ApplyReport {
  const outcomes: PersonOutcome[] = Array.from({ length: n }, (_, i): PersonOutcome => {
    const user = {
      id: String(10_000 + i),
      name: `Firstname${i} Lastname${i}`,
      email: `firstname${i}.lastname${i}@example-company.com`,
      disabled: false,
      isAdministrator: false,
    };
    if (i >= n - failed) {
      return {
        user,
        outcome: 'failed',
        reason: i % 2 ? 'The user is disabled in Kantata' : 'Kantata answered 500',
      };
    }
    return { user, outcome: 'added' };
  });
  return { action: 'add', group, outcomes, unresolved: [] };
}

describe('notificationMessage', () => {
  it('says who, which group, how many with their names, requested by, approved by and why', () => {
    const message = notificationMessage({ change, report: added(3, 1), undoAvailable: true });
    const text = allText(message);
    expect(text).toContain('<@U0APPROVER> added 3 people to *Design*');
    expect(text).toContain('Person 0 (person0@example.com)');
    expect(text).toContain('Failed (1)');
    expect(text).toContain('Kantata said no');
    expect(text).toContain('Requested by <@U0REQ>');
    expect(text).toContain('approved by <@U0APPROVER>');
    expect(text).toContain('New starters');
    expect(text).toContain(ACTION.changeUndo);
    expectWithinLimits(message);
  });

  it('has no Undo button once the window has passed', () => {
    expect(allText(notificationMessage({ change, report: added(3), undoAvailable: false }))).not.toContain(
      ACTION.changeUndo,
    );
  });

  it(`keeps up to ${NAMES_IN_MESSAGE} names in the message and moves more to the thread`, () => {
    expect(namesGoToThread(added(NAMES_IN_MESSAGE))).toBe(false);
    expect(namesGoToThread(added(NAMES_IN_MESSAGE + 1))).toBe(true);
    const message = notificationMessage({ change, report: added(NAMES_IN_MESSAGE + 1), undoAvailable: true });
    expect(allText(message)).toContain('the names are in the thread');
    expect(allText(message)).not.toContain('person0@example.com');
  });

  it('splits 1,000 names across thread replies that each stay within limits and together name everyone', () => {
    const report = added(990, 10);
    const replies = notificationThreadMessages({ change, report });
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const reply of replies) expectWithinLimits(reply);
    const all = replies.map(allText).join('\n');
    for (const outcome of report.outcomes) expect(all).toContain(outcome.user.email);
  });

  it('posts a 1,000-person notification in at most 5 messages, failures grouped by reason', () => {
    const report = realistic(1000, 40);
    const replies = notificationThreadMessages({ change, report });
    expect(1 + replies.length).toBeLessThanOrEqual(5);
    for (const reply of replies) {
      expectWithinLimits(reply);
      expect(allText(reply).length).toBeLessThan(12_000);
    }
    const all = replies.map(allText).join('\n');
    for (const outcome of report.outcomes)
      expect(all).toMatch(new RegExp(`\\b${outcome.user.email.split('@')[0]}\\b`));
    expect(all.match(/Failed, The user is disabled in Kantata/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    // Addresses this long do not fit four replies whole: they are grouped by domain.
    expect(all).toContain('· @example-company.com');
  });

  it('escapes the reason and names', () => {
    const evil = { ...change, reason: '<!channel> please', group: { id: '1', name: '<!here>' } };
    const text = allText(notificationMessage({ change: evil, report: added(1), undoAvailable: false }));
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
  });
});
