/** Time for the Slack transport's waits (rate limits, back-offs); tests pass one they move by hand. */
export type PacerClock = {
  now(): number;
  sleep(ms: number): Promise<void>;
};

export const realPacerClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      setTimeout(resolve, ms).unref?.();
    }),
};
