import { describe, expect, it } from 'vitest';
import type { ApplyReport, PersonOutcome } from '../../../../src/membership/types.js';
import { headline, resultMessage } from '../../../../src/slack/views/result-message.js';
import { allText, expectWithinLimits, users } from './message-limits.js';

const group = { id: '42', name: 'Design' };
const change = {
  id: 'chg1',
  action: 'add' as const,
  group,
  appliedBy: { slackUserId: 'U0ADMIN', name: 'Ann' },
};

function report(outcomes: PersonOutcome[], action: 'add' | 'remove' = 'add'): ApplyReport {
  return { action, group, outcomes, unresolved: [] };
}

describe('resultMessage', () => {
  it('lists each person under their outcome, with Kantata’s reason for failures', () => {
    const [ann, bob, cy] = users(3);
    const message = resultMessage({
      change,
      report: report([
        { user: ann!, outcome: 'added' },
        { user: bob!, outcome: 'already_member' },
        { user: cy!, outcome: 'failed', reason: 'User is <not> allowed' },
      ]),
    });
    const text = allText(message);
    expect(text).toContain('Added (1)');
    expect(text).toContain('Already members (1)');
    expect(text).toContain('Failed (1)');
    expect(text).toContain('User is &lt;not&gt; allowed');
    expect(text).toContain('<@U0ADMIN>');
    expect(message.text).toContain('Added 1 of 2 people to Design');
    expectWithinLimits(message);
  });

  it('words the headline for every kind of ending', () => {
    const [a, b] = users(2);
    expect(headline({ change, report: report([{ user: a!, outcome: 'added' }]) })).toBe(
      'Added 1 person to Design',
    );
    expect(headline({ change, report: report([{ user: a!, outcome: 'already_member' }]) })).toBe(
      'Nothing changed in Design',
    );
    expect(headline({ change, report: report([{ user: a!, outcome: 'failed' }]) })).toBe(
      'Could not add anyone to Design',
    );
    expect(
      headline({
        change: { ...change, action: 'remove' },
        report: report(
          [
            { user: a!, outcome: 'removed' },
            { user: b!, outcome: 'removed' },
          ],
          'remove',
        ),
      }),
    ).toBe('Removed 2 people from Design');
  });

  it('stays within Block Kit limits for 1,000 people with long failure reasons', () => {
    const outcomes: PersonOutcome[] = users(1000).map((user, i) =>
      i % 3 === 0
        ? { user, outcome: 'failed', reason: `Kantata refused: ${'very long reason '.repeat(30)}` }
        : { user, outcome: i % 3 === 1 ? 'added' : 'already_member' },
    );
    const unresolved = Array.from({ length: 500 }, (_, i) => ({
      label: `x${i}@example.com`,
      reason: 'no_kantata_user' as const,
    }));
    const message = resultMessage({ change, report: { ...report(outcomes), unresolved } });
    expectWithinLimits(message);
    expect(allText(message)).toMatch(/…and [0-9,]+ more/);
  });
});
