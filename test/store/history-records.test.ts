import { describe, expect, it } from 'vitest';
import { toAuditOutcomes } from '../../src/approvals/audit-entry.js';
import type { Change } from '../../src/approvals/types.js';
import { compactAudit, compactChange, expandChange } from '../../src/store/history/history-records.js';
import { makeAudit, makeChange, reportOf, user } from './store-fixtures.js';

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

  it('store an audit row as "the report\'s outcomes" only when they are exactly its outcomes', () => {
    const change = makeChange({ id: 'c1', status: 'applied', report: reportOf(['1', '2', '3']) });
    const same = toAuditOutcomes(change.report!.outcomes);
    const compact = (outcomes: typeof same) =>
      compactAudit(makeAudit({ id: 'a1', changeId: 'c1', outcomes }), change);
    expect(compact(same)).toMatchObject({ outcomes: 'report' });
    // The same fields in another order, and a reason that is undefined, are the same outcomes.
    const reordered = same.map(({ outcome, email, name, userId }) => ({
      outcome,
      email,
      name,
      userId,
      reason: undefined,
    }));
    expect(compact(reordered)).toMatchObject({ outcomes: 'report' });
    for (const differing of [
      same.slice(0, 2),
      same.map((o, i) => (i === 1 ? { ...o, name: 'Someone else' } : o)),
      same.map((o, i) => (i === 2 ? { ...o, outcome: 'failed' as const } : o)),
      same.map((o, i) => (i === 0 ? { ...o, reason: 'a reason the report does not give' } : o)),
      same.map((o, i) => (i === 0 ? { ...o, extra: 'a field the report does not have' } : o)),
    ]) {
      expect(compact(differing)).toMatchObject({ outcomes: differing });
    }
  });
});
