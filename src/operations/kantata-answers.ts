/**
 * "Kantata answered recently", for `/readyz`. Every attempt of the Kantata client reports its status here
 * (the same seam the metrics use), so ordinary traffic keeps the answer fresh and readiness costs Kantata
 * nothing while the bot is busy. When nothing was heard for a while, or the last attempt failed, one probe
 * (`GET /users/me`) is sent, never more than one at a time and at most one a second after a failure: a
 * load balancer polling often must not pile requests onto a Kantata that is already down.
 */
export type KantataAnswers = {
  /** Feed from the client's observer: `status` is an HTTP status, `timeout` or `network_error`. */
  attempted(status: string): void;
  /** True when Kantata's last word was an answer and is recent (probing first if needed). */
  isAnswering(): Promise<boolean>;
};

export type KantataAnswersOptions = {
  /** A cheap request that resolves when Kantata answers (the gateway's `getMe`). */
  probe: () => Promise<unknown>;
  now?: () => number;
  /** An answer older than this is checked again with a probe. Default 30 s. */
  freshMs?: number;
  /** How long `/readyz` waits for a probe. Default 2 s (the probe itself may go on with its retries). */
  probeWaitMs?: number;
  /** After a failed probe, the next one waits this long (the answer meanwhile: not answering). Default 1 s. */
  probeGapMs?: number;
};

/**
 * An answer means Kantata is up and takes our token: any status below 500 except 401/403 (429 counts as an
 * answer: Kantata is there, only busy, and taking the replica out of service would not help).
 */
export function isKantataAnswer(status: string): boolean {
  const code = Number(status);
  return Number.isInteger(code) && code < 500 && code !== 401 && code !== 403;
}

export function createKantataAnswers(options: KantataAnswersOptions): KantataAnswers {
  const now = options.now ?? Date.now;
  const freshMs = options.freshMs ?? 30_000;
  const probeWaitMs = options.probeWaitMs ?? 2_000;
  const probeGapMs = options.probeGapMs ?? 1_000;
  let last: { answered: boolean; at: number } | undefined;
  let probing: Promise<boolean> | undefined;
  let failedProbeAt = Number.NEGATIVE_INFINITY;

  const probe = (): Promise<boolean> => {
    if (!probing && now() - failedProbeAt < probeGapMs) return Promise.resolve(false);
    probing ??= options.probe().then(
      () => true,
      () => {
        failedProbeAt = now();
        return false;
      },
    );
    const running = probing;
    void running.finally(() => {
      if (probing === running) probing = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), probeWaitMs);
    });
    return Promise.race([running, waited]).finally(() => clearTimeout(timer));
  };

  return {
    attempted(status) {
      last = { answered: isKantataAnswer(status), at: now() };
    },
    async isAnswering() {
      if (last?.answered && now() - last.at <= freshMs) return true;
      return probe();
    },
  };
}
