/**
 * Tracks work that runs after Slack has been answered (Bolt acks first, then the listener goes on),
 * so that a graceful stop can wait for it instead of cutting a change off halfway.
 */
export function createWorkTracker() {
  const inFlight = new Set<Promise<unknown>>();
  let accepting = true;
  return {
    get accepting() {
      return accepting;
    },
    get size() {
      return inFlight.size;
    },
    track<T>(work: Promise<T>): Promise<T> {
      inFlight.add(work);
      const forget = () => inFlight.delete(work);
      work.then(forget, forget);
      return work;
    },
    /** Stops accepting and waits (up to `timeoutMs`) for everything in flight to settle. */
    async drain(timeoutMs: number): Promise<boolean> {
      accepting = false;
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        const timer = new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
        await Promise.race([Promise.allSettled([...inFlight]), timer]);
      }
      return inFlight.size === 0;
    },
  };
}

export type WorkTracker = ReturnType<typeof createWorkTracker>;
