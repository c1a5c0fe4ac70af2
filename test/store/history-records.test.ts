import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/approvals/types.js';
import { compactChange, expandChange } from '../../src/store/history/history-records.js';
import { makeChange, user } from './store-fixtures.js';

describe('history records', () => {
  it('store each person once, short, and read back exactly: reasons, flags, people only in the plan', () => {
    const admin = { ...user('7'), isAdministrator: true };
    const gone = { ...user('8'), disabled: true };
    const group = { id: 'g1', name: 'Engineering' };
    const change: Change = makeChange({
      id: 'c1',
      status: 'partially_applied',
      plan: {
        action: 'add',
        group,
        toChange: [admin, gone, user('9')],
        unchanged: [user('10')],
        unresolved: [],
      },
      report: {
        action: 'add',
        group,
        outcomes: [
          { user: admin, outcome: 'added' },
          { user: gone, outcome: 'failed', reason: 'Kantata said: user is disabled' },
          { user: { ...user('9'), name: 'Renamed since the plan' }, outcome: 'added' },
        ],
        unresolved: [],
      },
    });
    const stored = compactChange(change);
    const line = JSON.stringify(stored);
    expect(line.split('user7@example.com')).toHaveLength(2);
    expect(stored.report?.outcomes.every((o) => Array.isArray(o))).toBe(true);
    // Who is not in the report as planned (renamed since, or unchanged) stays whole in the plan.
    expect(stored.plan.toChange.map((u) => (typeof u === 'string' ? u : u.name))).toEqual([
      '7',
      '8',
      'User 9',
    ]);
    expect(expandChange(JSON.parse(line), 'test')).toEqual(change);
  });
});
