import type { Clock } from '../../src/approvals/ports.js';
import type { Change, ChangeAuditEntry } from '../../src/approvals/types.js';
import type { KantataUser, PersonOutcome } from '../../src/membership/types.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = '2026-03-01T09:00:00.000Z') {
    this.#now = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

export function user(id: string): KantataUser {
  return { id, name: `User ${id}`, email: `user${id}@example.com`, disabled: false, isAdministrator: false };
}

export function outcome(id: string, kind: PersonOutcome['outcome'] = 'added'): PersonOutcome {
  return { user: user(id), outcome: kind };
}

/** The report of an add in which these users were added. */
export function reportOf(ids: string[]): NonNullable<Change['report']> {
  const group = { id: 'g1', name: 'Engineering' };
  return { action: 'add', group, outcomes: ids.map((id) => outcome(id)), unresolved: [] };
}

export function makeChange(overrides: Partial<Change> & { id: string }): Change {
  const group = { id: 'g1', name: 'Engineering' };
  return {
    status: 'pending',
    action: 'add',
    group,
    plan: { action: 'add', group, toChange: [user('1'), user('2')], unchanged: [], unresolved: [] },
    requestedBy: { slackUserId: 'U_REQ', kantataUserId: '100', name: 'Requester' },
    reason: 'new hires',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    expiresAt: '2026-03-08T09:00:00.000Z',
    ...overrides,
  };
}

export function makeAudit(overrides: Partial<ChangeAuditEntry> & { id: string }): ChangeAuditEntry {
  return {
    at: '2026-03-01T09:00:00.000Z',
    event: 'applied',
    actor: { slackUserId: 'U_ADMIN', kantataUserId: '200' },
    action: 'add',
    groupId: 'g1',
    groupName: 'Engineering',
    outcomes: [{ userId: '1', name: 'User 1', email: 'user1@example.com', outcome: 'added' }],
    changeId: 'c1',
    ...overrides,
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
