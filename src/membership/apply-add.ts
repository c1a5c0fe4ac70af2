import { chunk } from '../util/chunk.js';
import { mapWithConcurrency } from '../util/map-with-concurrency.js';
import { type ApplyRecorder, classifyFailure, outcomesFor, reasonOf } from './apply-support.js';
import { currentMemberIds } from './plan.js';
import type { KantataGateway } from './ports.js';
import type { Group, KantataUser, PersonOutcome } from './types.js';

/** Kantata's bulk create takes at most 100 objects (SPEC §5). */
export const MAX_BULK_CREATE = 100;
/** One membership read names at most this many users, so that URLs stay short (SPEC §5). */
export const MAX_READ_IDS = 200;
/** After a POST with an unknown outcome: read back and post what is missing at most this many more times. */
export const MAX_RECONCILE_ROUNDS = 2;

export type ApplyAddDeps = { kantata: KantataGateway; batchConcurrency: number };

/**
 * Adds `users` to `group` (SPEC §5): a fresh read of who is already a member, then bulk POSTs of ≤100
 * with several requests in flight (the adapter caps them at KANTATA_CONCURRENCY). Every user gets
 * exactly one outcome, recorded batch by batch.
 */
export async function applyAdd(
  deps: ApplyAddDeps,
  group: Group,
  users: readonly KantataUser[],
  recorder: ApplyRecorder,
  resume: boolean,
): Promise<void> {
  const { kantata } = deps;
  const presentKind = resume ? 'added' : 'already_member';
  let stopReason: string | null = null;

  // A fatal failure (401, 403, 429 after retries) ends the change: batches not yet posted fail with it.
  const stop = (reason: string): void => {
    stopReason ??= reason;
  };

  const readMembers = (batch: readonly KantataUser[]) =>
    currentMemberIds(
      kantata,
      group.id,
      batch.map((u) => u.id),
    );

  /** One bulk POST, then whatever it takes to give each of these users an exact outcome. */
  async function post(
    batch: KantataUser[],
    state: { checked: boolean },
    rounds: number,
  ): Promise<PersonOutcome[]> {
    if (stopReason !== null) return outcomesFor(batch, 'failed', stopReason);
    try {
      await kantata.createMemberships(
        group.id,
        batch.map((u) => u.id),
      );
      return outcomesFor(batch, 'added');
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'refused') return isolateRefused(batch, error, state, rounds);
      if (kind === 'unknown') return reconcile(batch, error, state, rounds);
      stop(reasonOf(error));
      return outcomesFor(batch, 'failed', reasonOf(error));
    }
  }

  /**
   * The POST may have been applied (timeout, reset, 5xx): posting it again blindly could duplicate or be
   * refused as a duplicate. Read back who is now a member and post only the rest.
   */
  async function reconcile(
    batch: KantataUser[],
    error: unknown,
    state: { checked: boolean },
    rounds: number,
  ): Promise<PersonOutcome[]> {
    let present: Set<string>;
    try {
      present = await readMembers(batch);
    } catch {
      return outcomesFor(
        batch,
        'failed',
        `Kantata did not confirm the change, so it is not known whether they were added: ${reasonOf(error)}`,
      );
    }
    const added = outcomesFor(
      batch.filter((u) => present.has(u.id)),
      'added',
    );
    const missing = batch.filter((u) => !present.has(u.id));
    if (missing.length === 0) return added;
    if (rounds >= MAX_RECONCILE_ROUNDS) return [...added, ...outcomesFor(missing, 'failed', reasonOf(error))];
    return [...added, ...(await post(missing, state, rounds + 1))];
  }

  /**
   * Kantata refuses a whole bulk when one entry is bad. Once per batch, check that the group still exists
   * (else every half would be refused too) and drop people who became members meanwhile (a duplicate is
   * refused); then split in halves until the refused people are alone.
   */
  async function isolateRefused(
    batch: KantataUser[],
    error: unknown,
    state: { checked: boolean },
    rounds: number,
  ): Promise<PersonOutcome[]> {
    if (!state.checked) {
      state.checked = true;
      const [stillThere, present] = await Promise.all([
        kantata.getGroup(group.id).then(
          (g) => g !== null,
          () => true,
        ),
        readMembers(batch).catch(() => new Set<string>()),
      ]);
      if (!stillThere) {
        const reason = `The group "${group.name}" no longer exists in Kantata.`;
        stop(reason);
        return outcomesFor(batch, 'failed', reason);
      }
      if (present.size > 0) {
        const rest = batch.filter((u) => !present.has(u.id));
        const already = outcomesFor(
          batch.filter((u) => present.has(u.id)),
          presentKind,
        );
        return rest.length === 0 ? already : [...already, ...(await post(rest, state, rounds))];
      }
    }
    if (batch.length === 1) return outcomesFor(batch, 'failed', reasonOf(error));
    const middle = Math.ceil(batch.length / 2);
    const halves = await Promise.all([
      post(batch.slice(0, middle), state, rounds),
      post(batch.slice(middle), state, rounds),
    ]);
    return halves.flat();
  }

  // Reads and POSTs are pipelined: as soon as a read of ≤200 users says who is missing, full bulks of 100
  // go out, while the other reads are still in flight. Only the last bulk can be partial, so a change
  // costs ⌈missing/100⌉ POSTs, and the wall time approaches ⌈(reads + posts)/KANTATA_CONCURRENCY⌉ rounds.
  const posts: Promise<void>[] = [];
  let waiting: KantataUser[] = [];
  const launch = (batch: KantataUser[]) => {
    posts.push(post(batch, { checked: false }, 0).then((outcomes) => recorder.record(outcomes)));
  };
  await mapWithConcurrency(chunk(users, MAX_READ_IDS), deps.batchConcurrency, async (part) => {
    let present: Set<string>;
    try {
      present = await readMembers(part);
    } catch (error) {
      await recorder.record(outcomesFor(part, 'failed', reasonOf(error)));
      return;
    }
    await recorder.record(
      outcomesFor(
        part.filter((u) => present.has(u.id)),
        presentKind,
      ),
    );
    waiting.push(...part.filter((u) => !present.has(u.id)));
    while (waiting.length >= MAX_BULK_CREATE) launch(waiting.splice(0, MAX_BULK_CREATE));
  });
  if (waiting.length > 0) launch(waiting);
  waiting = [];
  await Promise.all(posts);
}
