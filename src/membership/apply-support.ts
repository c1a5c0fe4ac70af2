import { AppError, isAppError, isOutcomeUnknown } from './errors.js';
import type { ApplyProgress, KantataUser, PersonOutcome, PersonOutcomeKind } from './types.js';

/** Callbacks and mode of `applyPlan`. */
export type ApplyOptions = {
  /** After each batch: how many people have a final outcome so far. Errors thrown here are ignored. */
  onProgress?(progress: ApplyProgress): void;
  /**
   * After each batch, with that batch's outcomes (the crash journal). Calls never overlap and come in
   * order. If one fails, the Kantata work still finishes; `applyPlan` then throws `store_unavailable`
   * with the full report in `detail.report`, so nothing that happened is lost.
   */
  onBatch?(outcomes: PersonOutcome[]): Promise<void> | void;
  /**
   * Finishing a change that was being applied when the bot stopped: people found already in the wanted
   * state were most likely put there by the interrupted run, so they count as `added` / `removed`.
   */
  resume?: boolean;
};

/**
 * How the core treats a Kantata failure:
 * - `refused`: Kantata refused this request for these people (422/400/404): isolate who.
 * - `unknown`: Kantata may or may not have acted (timeout, reset, 5xx, unreadable answer): read back.
 * - `fatal`: nothing that follows can work (401, 403, 429 after the adapter's retries): stop.
 */
export type FailureKind = 'refused' | 'unknown' | 'fatal';

export function classifyFailure(error: unknown): FailureKind {
  if (!isAppError(error)) return 'unknown';
  if (isOutcomeUnknown(error) || error.code === 'kantata_bad_response') return 'unknown';
  if (error.code === 'kantata_validation' || error.code === 'kantata_not_found') return 'refused';
  return 'fatal';
}

/** Kantata's message (the adapter puts it in `message`), fit to show to people. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error && error.message.length > 0) return error.message;
  return 'Kantata failed for an unknown reason.';
}

export function outcomesFor(
  users: readonly KantataUser[],
  outcome: PersonOutcomeKind,
  reason?: string,
): PersonOutcome[] {
  return users.map((user) => (reason === undefined ? { user, outcome } : { user, outcome, reason }));
}

export function uniqueUsers(users: readonly KantataUser[]): KantataUser[] {
  const seen = new Set<string>();
  return users.filter((u) => !seen.has(u.id) && seen.add(u.id));
}

/**
 * Collects outcomes, reports progress and writes the journal. Journal writes never overlap; batches that
 * complete while one is being written are written together next (a write rewrites a whole store file,
 * so one per batch would make a large change slower the more history the store holds).
 */
export type ApplyRecorder = {
  /** Resolves once these outcomes are in the journal (or the journal has failed). */
  record(outcomes: PersonOutcome[]): Promise<void>;
  /** All outcomes in the order of `order`; throws `store_unavailable` if a journal write failed. */
  finish(order: readonly KantataUser[], toReport: (outcomes: PersonOutcome[]) => unknown): PersonOutcome[];
};

export function createApplyRecorder(total: number, options: ApplyOptions): ApplyRecorder {
  const outcomes: PersonOutcome[] = [];
  let unsaved: PersonOutcome[] = [];
  let recordedBatches = 0;
  let savedBatches = 0;
  let writing: Promise<void> | null = null;
  let journalError: unknown;

  async function drain(onBatch: NonNullable<ApplyOptions['onBatch']>): Promise<void> {
    while (unsaved.length > 0 && journalError === undefined) {
      const next = unsaved;
      const upTo = recordedBatches;
      unsaved = [];
      try {
        await onBatch(next);
        savedBatches = upTo;
      } catch (error) {
        journalError = error;
      }
    }
  }

  async function record(batch: PersonOutcome[]): Promise<void> {
    if (batch.length === 0) return;
    outcomes.push(...batch);
    try {
      options.onProgress?.({ done: outcomes.length, total });
    } catch {
      // Progress is cosmetic (a Slack message being edited); it must never stop a change half-way.
    }
    const onBatch = options.onBatch;
    if (!onBatch) return;
    unsaved.push(...batch);
    recordedBatches += 1;
    const mine = recordedBatches;
    while (savedBatches < mine && journalError === undefined) {
      writing ??= drain(onBatch).finally(() => {
        writing = null;
      });
      await writing;
    }
  }

  function finish(
    order: readonly KantataUser[],
    toReport: (outcomes: PersonOutcome[]) => unknown,
  ): PersonOutcome[] {
    const position = new Map(order.map((u, i) => [u.id, i]));
    const sorted = [...outcomes].sort(
      (a, b) =>
        (position.get(a.user.id) ?? Number.MAX_SAFE_INTEGER) -
        (position.get(b.user.id) ?? Number.MAX_SAFE_INTEGER),
    );
    if (journalError !== undefined) {
      throw new AppError(
        'store_unavailable',
        'The change was applied in Kantata but its progress could not be recorded.',
        { report: toReport(sorted) },
        { cause: journalError },
      );
    }
    return sorted;
  }

  return { record, finish };
}
