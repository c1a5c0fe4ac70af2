import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../src/approvals/ports.js';
import type { AuditEntry, AuditEvent, Change } from '../src/approvals/types.js';
import type { KantataUser, PersonOutcome } from '../src/membership/types.js';
import { runConcurrently } from './stats.js';

/** A deterministic sequence (the same history on every run, for both stores). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const START = Date.parse('2025-01-06T09:00:00.000Z');
const YEAR_MS = 365 * 86_400_000;

/**
 * A year of ordinary use written through the store's own writer: `changes` finished changes of 20–1,000
 * people each (uniform, so about 510 on average), each created as a running change and finished with its
 * report and audit row in one commit, as the bot does; a third went through a request first (two more audit
 * rows). People are drawn from a pool of 20,000 so that changes overlap as real ones do.
 */
export async function buildYear(store: Store, changes: number): Promise<{ people: number }> {
  const random = seeded(9);
  const pool: KantataUser[] = Array.from({ length: 20_000 }, (_, i) => ({
    id: String(500_000 + i),
    name: `Person ${i + 1} Example`,
    email: `person${i + 1}@year.example.com`,
    disabled: false,
    isAdministrator: false,
  }));
  let people = 0;
  const admin = { slackUserId: 'UYEARADMIN', kantataUserId: '1', name: 'Year Admin' };
  const jobs = Array.from({ length: changes }, (_, i) => {
    const n = 20 + Math.floor(random() * 981);
    const from = Math.floor(random() * (pool.length - n));
    const requested = random() < 1 / 3;
    return { i, n, from, requested, group: { id: String(900 + (i % 40)), name: `Team ${i % 40}` } };
  });
  await runConcurrently(jobs.length, 16, async (index) => {
    const job = jobs[index]!;
    const users = pool.slice(job.from, job.from + job.n);
    people += users.length;
    const at = new Date(START + Math.floor((job.i / changes) * YEAR_MS)).toISOString();
    const id = `year-${job.i}`;
    const plan = { action: 'add' as const, group: job.group, toChange: users, unchanged: [], unresolved: [] };
    const change: Change = {
      id,
      status: 'applying',
      action: 'add',
      group: job.group,
      plan,
      requestedBy: admin,
      createdAt: at,
      updatedAt: at,
      appliedBy: admin,
      ...(job.requested ? { expiresAt: at, decidedBy: admin, decidedAt: at } : {}),
    };
    await store.createChange(change);
    const outcomes: PersonOutcome[] = users.map((user) => ({ user, outcome: 'added' }));
    const audit = (event: AuditEvent, suffix: string, withOutcomes: boolean): AuditEntry => ({
      id: `${id}-${suffix}`,
      at,
      event,
      actor: admin,
      action: 'add',
      groupId: job.group.id,
      groupName: job.group.name,
      outcomes: withOutcomes
        ? outcomes.map((o) => ({
            userId: o.user.id,
            name: o.user.name,
            email: o.user.email,
            outcome: o.outcome,
          }))
        : [],
      changeId: id,
    });
    if (job.requested) {
      await store.appendAudit(audit('requested', 'r', false));
      await store.appendAudit(audit('approved', 'a', false));
    }
    await store.transitionChange(
      id,
      ['applying'],
      'applied',
      {
        report: { action: 'add', group: job.group, outcomes, unresolved: [] },
        outcomes: [],
        appliedAt: at,
        notification: { status: 'posted', attempts: 1 },
      },
      { audit: audit('applied', 'd', true) },
    );
  });
  return { people };
}

/**
 * One commit with the year behind it: the median of `rounds` small commits of the kind the bot makes all
 * day (a 20-person preview stored, then moved to a request), each timed alone.
 */
export async function measureCommit(store: Store, rounds = 40): Promise<number> {
  const times: number[] = [];
  const group = { id: 'g-commit', name: 'Commit probe' };
  const users = Array.from({ length: 20 }, (_, i) => ({
    id: String(990_000 + i),
    name: `Probe ${i}`,
    email: `probe${i}@year.example.com`,
    disabled: false,
    isAdministrator: false,
  }));
  const now = new Date().toISOString();
  for (let i = 0; i < rounds; i++) {
    const id = `commit-probe-${i}`;
    let started = performance.now();
    await store.createChange({
      id,
      status: 'previewed',
      action: 'add',
      group,
      plan: { action: 'add', group, toChange: users, unchanged: [], unresolved: [] },
      requestedBy: { slackUserId: 'UPROBE' },
      createdAt: now,
      updatedAt: now,
    });
    times.push(performance.now() - started);
    started = performance.now();
    await store.transitionChange(id, ['previewed'], 'cancelled', {});
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Bytes under a path (a file, or a directory and everything in it). */
export function sizeOnDisk(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOnDisk(join(path, name)), 0);
}
