/**
 * What operations listen to on the Kantata client (its `KantataCallObserver` seam), restated here by shape:
 * only the composition root wires the Kantata adapter to anything (test/unit/architecture.test.ts).
 */
export type KantataObserver = {
  attempted(call: { method: string; route: string; status: string; ms: number }): void;
  retryWait(wait: { method: string; route: string; reason: string; ms: number }): void;
};
