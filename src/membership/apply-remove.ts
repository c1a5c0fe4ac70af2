import { chunk } from '../util/chunk.js';
import { type ApplyRecorder, classifyFailure, outcomesFor, reasonOf } from './apply-support.js';
import { isAppErrorWithCode } from './errors.js';
import type { KantataGateway } from './ports.js';
import type { Group, KantataUser, PersonOutcome } from './types.js';

/** People whose DELETEs are fired together (the adapter caps requests in flight) and journaled as one batch. */
export const REMOVE_BATCH_SIZE = 100;

type DeleteResult =
  | { user: KantataUser; result: 'removed' }
  | { user: KantataUser; result: 'failed' | 'unknown'; reason: string };

/**
 * Removes `users` from `group` (SPEC §5): one read of their membership ids, then a DELETE each. A 404 means
 * already gone, which is what was wanted. A DELETE with an unknown outcome is settled by reading back.
 */
export async function applyRemove(
  deps: { kantata: KantataGateway },
  group: Group,
  users: readonly KantataUser[],
  recorder: ApplyRecorder,
  resume: boolean,
): Promise<void> {
  const { kantata } = deps;
  let stopReason: string | null = null;

  const membershipIds = new Map<string, string[]>();
  try {
    const memberships = await kantata.listMemberships({ groupId: group.id, userIds: users.map((u) => u.id) });
    for (const m of memberships) {
      if (m.groupId !== group.id) continue;
      membershipIds.set(m.userId, [...(membershipIds.get(m.userId) ?? []), m.id]);
    }
  } catch (error) {
    await recorder.record(outcomesFor(users, 'failed', reasonOf(error)));
    return;
  }
  // On resume, a planned membership that is gone was most likely deleted by the interrupted run.
  await recorder.record(
    outcomesFor(
      users.filter((u) => !membershipIds.has(u.id)),
      resume ? 'removed' : 'not_member',
    ),
  );

  async function removeOne(user: KantataUser): Promise<DeleteResult> {
    for (const id of membershipIds.get(user.id) ?? []) {
      if (stopReason !== null) return { user, result: 'failed', reason: stopReason };
      try {
        await kantata.deleteMembership(id);
      } catch (error) {
        // 404: someone else removed it meanwhile, which is what was wanted.
        if (isAppErrorWithCode(error, 'kantata_not_found')) continue;
        const kind = classifyFailure(error);
        if (kind === 'unknown') return { user, result: 'unknown', reason: reasonOf(error) };
        if (kind === 'fatal') stopReason ??= reasonOf(error);
        return { user, result: 'failed', reason: reasonOf(error) };
      }
    }
    return { user, result: 'removed' };
  }

  /** Whoever is no longer a member after an unknown outcome was removed; the rest failed. */
  async function settle(results: DeleteResult[]): Promise<PersonOutcome[]> {
    const unknown = results.filter((r) => r.result === 'unknown');
    let stillMembers: Set<string> | null = null;
    if (unknown.length > 0) {
      try {
        const rows = await kantata.listMemberships({
          groupId: group.id,
          userIds: unknown.map((r) => r.user.id),
        });
        stillMembers = new Set(rows.filter((m) => m.groupId === group.id).map((m) => m.userId));
      } catch {
        stillMembers = null;
      }
    }
    return results.map((r): PersonOutcome => {
      if (r.result === 'removed') return { user: r.user, outcome: 'removed' };
      if (r.result === 'unknown' && stillMembers && !stillMembers.has(r.user.id)) {
        return { user: r.user, outcome: 'removed' };
      }
      return { user: r.user, outcome: 'failed', reason: r.reason };
    });
  }

  for (const batch of chunk(
    users.filter((u) => membershipIds.has(u.id)),
    REMOVE_BATCH_SIZE,
  )) {
    if (stopReason !== null) {
      await recorder.record(outcomesFor(batch, 'failed', stopReason));
      continue;
    }
    await recorder.record(await settle(await Promise.all(batch.map(removeOne))));
  }
}
