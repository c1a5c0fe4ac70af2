/**
 * The Home tabs waiting to be published, one publish at a time: asking again for someone already waiting
 * costs nothing (a burst of changes publishes each person's Home once), and one call in flight never
 * takes more than one of the Web API client's slots, whatever the backlog. `views.publish` is Tier 4; the
 * pacer below every Web API call keeps the pace within it (and waits out a 429), so this queue only has to
 * keep the backlog from piling up in front of it.
 */
export function createHomeQueue(deps: {
  publish(userId: string): Promise<void>;
  onError(userId: string, error: unknown): void;
  /** Most people waiting at once; past it the oldest waiting are dropped (they see it when they open it). */
  maxWaiting?: number;
}) {
  const maxWaiting = deps.maxWaiting ?? 10_000;
  let waiting = new Set<string>();
  let running: Promise<void> | null = null;
  let stopped = false;
  const idlers: (() => void)[] = [];

  async function drain(): Promise<void> {
    for (let next = first(); next !== undefined && !stopped; next = first()) {
      waiting.delete(next);
      try {
        await deps.publish(next);
      } catch (error) {
        deps.onError(next, error);
      }
    }
  }

  function first(): string | undefined {
    const { value, done } = waiting.values().next();
    return done ? undefined : value;
  }

  function kick(): void {
    if (running || stopped) return;
    running = drain().finally(() => {
      running = null;
      if (waiting.size > 0 && !stopped) kick();
      else for (const resolve of idlers.splice(0)) resolve();
    });
  }

  return {
    /** Publishes these people's Homes soon; `first`: before everyone waiting (they just opened it). */
    request(userIds: readonly string[], opts: { first?: boolean } = {}): void {
      if (stopped || userIds.length === 0) return;
      if (opts.first) waiting = new Set([...userIds, ...waiting]);
      else for (const id of userIds) waiting.add(id);
      while (waiting.size > maxWaiting) waiting.delete(first()!);
      kick();
    },
    get waiting(): number {
      return waiting.size;
    },
    /** Resolves once nothing is waiting or being published. */
    idle(): Promise<void> {
      if (!running && waiting.size === 0) return Promise.resolve();
      return new Promise((resolve) => idlers.push(resolve));
    },
    /** Publishes nothing more; waits for the one in flight. */
    async stop(): Promise<void> {
      stopped = true;
      waiting.clear();
      await running;
      for (const resolve of idlers.splice(0)) resolve();
    },
  };
}
