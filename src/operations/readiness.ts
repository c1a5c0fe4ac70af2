/** One part the bot needs to do its work; resolves true when that part works now. */
export type ReadinessCheck = () => Promise<boolean>;

export type ReadinessReport = {
  ready: boolean;
  /** The parts that failed, by name (`store`, `kantata`, `slack`), for the 503 body and the log. */
  failing: string[];
  checks: Record<string, boolean>;
};

/** A check that has not answered by then counts as failing: a probe must answer faster than its poller. */
const CHECK_TIMEOUT_MS = 2_500;

/**
 * `/readyz`: all checks run at once, each bounded in time; ready only when every one passes. A check that
 * throws or hangs is a failing part, never an error of the endpoint.
 */
export function createReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = CHECK_TIMEOUT_MS,
): () => Promise<ReadinessReport> {
  return async () => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => bounded(checks[name]!, timeoutMs)));
    const entries = names.map((name, i) => [name, results[i] === true] as const);
    const failing = entries.filter(([, ok]) => !ok).map(([name]) => name);
    return { ready: failing.length === 0, failing, checks: Object.fromEntries(entries) };
  };
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
