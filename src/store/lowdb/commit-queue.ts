import { AppError } from '../../membership/errors.js';
import { afterAcks } from '../../util/acks-first.js';

/** What a mutation returns: its result, and whether it changed the data (else no write is needed). */
export type Mutation<T> = () => { value: T; changed: boolean };

type Job = {
  mutate: Mutation<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/**
 * Serializes every write of the file store ("group commit"). Each mutation runs synchronously on the
 * in-memory data, so a read-modify-write such as a compare-and-set cannot interleave with another; the
 * mutations that arrive while the file is being written are applied one after the other and then written
 * together. No caller is answered before the file holding its change has been written.
 *
 * If writing fails, the in-memory data is reloaded from the file (the last good state: writes go to a temp
 * file renamed over the old one) and every caller of that batch gets `store_unavailable`.
 */
export class CommitQueue {
  readonly #persist: () => Promise<void>;
  readonly #restore: (cause: unknown) => Promise<void>;
  #pending: Job[] = [];
  #running = false;
  #current: Promise<void> = Promise.resolve();

  constructor(persist: () => Promise<void>, restore: (cause: unknown) => Promise<void>) {
    this.#persist = persist;
    this.#restore = restore;
  }

  run<T>(mutate: Mutation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ mutate, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) {
        this.#running = true;
        this.#current = this.#drain();
      }
    });
  }

  /** Resolves once every mutation queued so far has been written (or failed). */
  async idle(): Promise<void> {
    while (this.#running) await this.#current;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) await this.#commit(this.#pending.splice(0));
    } finally {
      // Runs in the same tick as the loop's last look at #pending, so no job can be left behind.
      this.#running = false;
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    const applied: { job: Job; value: unknown }[] = [];
    let changed = false;
    for (const job of batch) {
      try {
        const result = job.mutate();
        changed ||= result.changed;
        applied.push({ job, value: result.value });
      } catch (error) {
        job.reject(error);
      }
    }
    if (changed) {
      try {
        await this.#persist();
      } catch (error) {
        await this.#restore(error).catch(() => undefined);
        const failure = new AppError(
          'store_unavailable',
          `Could not write the store file: ${String(error)}`,
          {},
          { cause: error },
        );
        for (const { job } of applied) job.reject(failure);
        return;
      }
    }
    // What a commit leads to (the next step of a change, an answer to Slack) waits for the acknowledgements
    // of the Slack requests that arrived meanwhile (acks-first.ts): the file write completes in the poll phase.
    if (changed && applied.length > 0) await afterAcks();
    for (const { job, value } of applied) job.resolve(value);
  }
}
