import type { Plan } from '../../membership/types.js';
import type { ChangeServiceDeps } from '../change-service-deps.js';
import type { AppliedChange, createChangeSteps } from '../change-steps.js';
import { type Change, FINAL_STATUSES } from '../types.js';
import { EXPIRY_ACTOR, type MembershipEnd } from './types.js';

export const DEFAULT_MAX_MEMBERSHIP_MS = 365 * 86_400_000;
export const DEFAULT_EXPIRY_REMINDER_MS = 86_400_000;
/** Ends acted on per sweep: a backlog (a long stop) is worked off over several sweeps, memory stays flat. */
export const DUE_ENDS_PER_SWEEP = 10_000;
/** How long a claimed reminder stays with its claimer before another process may send it. */
const REMINDER_CLAIM_MS = 5 * 60_000;

export type ExpiryHooks = {
  onProgress?(progress: { done: number; total: number }): void;
  /** A group whose due removal could not be run now (it is tried again at the next sweep). */
  onError?(groupId: string, error: unknown): void;
};

/**
 * The end of temporary memberships (SPEC §4.6), decided by the core: which ends are due, one removal change
 * per group through the same journaled apply path as any removal, reminders claimed once, extensions.
 * Exactly once across replicas: every end is claimed in the store before its removal exists, and an end
 * whose claim lapsed is taken again only when the removal that claimed it never came to be or has finished
 * (a removal cut off by a crash is finished by the takeover job, never started twice).
 */
export function createExpiryOps(
  deps: ChangeServiceDeps & { newId: () => string; owner: string; leaseMs: number },
  steps: ReturnType<typeof createChangeSteps>,
) {
  const { store, clock, newId, owner, leaseMs } = deps;
  const { nowIso, runApply, newLease } = steps;

  /** Ends whose last claim belongs to a removal still running are left to that removal. */
  async function stillClaimed(ends: MembershipEnd[]): Promise<Set<string>> {
    const running = new Set<string>();
    const ids = new Set(ends.flatMap((end) => (end.claim ? [end.claim.changeId] : [])));
    for (const id of ids) {
      const change = await store.getChange(id);
      if (change && !FINAL_STATUSES.includes(change.status)) running.add(id);
    }
    return running;
  }

  async function endGroup(ends: MembershipEnd[], hooks: ExpiryHooks): Promise<AppliedChange | null> {
    const first = ends[0]!;
    const changeId = newId();
    const now = nowIso();
    const claimUntil = new Date(clock.now().getTime() + leaseMs).toISOString();
    const claimed = await store.claimEnds(ends, { changeId, owner, until: claimUntil }, now);
    if (claimed.length === 0) return null;
    const group = { id: first.groupId, name: first.groupName };
    const plan: Plan = {
      action: 'remove',
      group,
      toChange: claimed.map((end) => end.user),
      unchanged: [],
      unresolved: [],
    };
    const change: Change = {
      id: changeId,
      status: 'applying',
      action: 'remove',
      group,
      plan,
      requestedBy: EXPIRY_ACTOR,
      appliedBy: EXPIRY_ACTOR,
      reason: 'Access ended',
      createdAt: now,
      updatedAt: now,
      lease: newLease(),
      expiry: {
        dueAt: claimed.map((end) => end.endsAt).sort()[0]!,
        ends: claimed.map((end) => ({
          userId: end.userId,
          endsAt: end.endsAt,
          addedAt: end.addedAt,
          addedBy: end.addedBy,
          ...(end.approvedBy ? { approvedBy: end.approvedBy } : {}),
          ...(end.failures ? { failures: end.failures } : {}),
        })),
      },
    };
    await store.createChange(change);
    return runApply(change, {
      by: EXPIRY_ACTOR,
      ...(hooks.onProgress ? { hooks: { onProgress: hooks.onProgress } } : {}),
    });
  }

  return {
    /** The recorded ends of the people a preview names (user id → end), if any has one. */
    async currentEndsOf(plan: Plan): Promise<Record<string, string> | undefined> {
      const ids = [...plan.toChange, ...plan.unchanged].map((u) => u.id);
      if (ids.length === 0) return undefined;
      const ends = await store.getEnds(plan.group.id, ids);
      if (ends.length === 0) return undefined;
      return Object.fromEntries(ends.map((end) => [end.userId, end.endsAt]));
    },

    /**
     * Removes every membership that is due now, also those that fell due while the bot was stopped: one
     * removal change per group, applied like any removal (journaled, audited, announced). A person already
     * gone counts as done; one whose removal failed keeps the end and is tried again at the next sweep.
     * Run at start and then periodically, by every replica: the claims decide who removes whom.
     */
    async endDue(hooks: ExpiryHooks = {}): Promise<AppliedChange[]> {
      const due = await store.listDueEnds({ now: nowIso(), limit: DUE_ENDS_PER_SWEEP });
      if (due.length === 0) return [];
      const running = await stillClaimed(due);
      const byGroup = new Map<string, MembershipEnd[]>();
      for (const end of due) {
        if (end.claim && running.has(end.claim.changeId)) continue;
        byGroup.set(end.groupId, [...(byGroup.get(end.groupId) ?? []), end]);
      }
      const finished: AppliedChange[] = [];
      for (const [groupId, ends] of byGroup) {
        try {
          const done = await endGroup(ends, hooks);
          if (done) finished.push(done);
        } catch (error) {
          // The claims lapse and the next sweep tries again; one group never holds up the others.
          hooks.onError?.(groupId, error);
        }
      }
      return finished;
    },

    /** Reminders due now (EXPIRY_REMINDER before the end), each handed to exactly one caller. */
    claimDueReminders(): Promise<MembershipEnd[]> {
      const now = clock.now();
      return store.claimReminders({
        now: now.toISOString(),
        remindBeforeMs: deps.expiryReminderMs ?? DEFAULT_EXPIRY_REMINDER_MS,
        claimUntil: new Date(now.getTime() + REMINDER_CLAIM_MS).toISOString(),
        limit: 1000,
      });
    },

    /** The reminders of these ends have been delivered: never sent again for this end. */
    markReminded(ends: readonly MembershipEnd[]): Promise<void> {
      return store.markReminded(ends, nowIso());
    },

    /**
     * The ends a reminder's Extend button stands for: one person's, or every person one change gave this
     * end to (the requester's reminder), as they are now; empty once ended or moved elsewhere.
     */
    async extendableEnds(target: {
      groupId: string;
      setBy: string;
      userId?: string;
    }): Promise<MembershipEnd[]> {
      if (target.userId) {
        const ends = await store.getEnds(target.groupId, [target.userId]);
        return ends.filter((end) => end.setBy === target.setBy);
      }
      const all = await store.listEnds({ groupId: target.groupId });
      return all.filter((end) => end.setBy === target.setBy);
    },

    /** Temporary memberships, soonest end first (SPEC §4.6 `/groups expiring`), one page and the total. */
    async listExpiring(query: { groupId?: string; offset: number; limit: number }) {
      const filter = query.groupId ? { groupId: query.groupId } : {};
      const [ends, total] = await Promise.all([
        store.listEnds({ ...filter, offset: query.offset, limit: query.limit }),
        store.countEnds(filter),
      ]);
      return { ends, total };
    },
  };
}
