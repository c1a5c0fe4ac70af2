/**
 * Slack's rate tiers, applied by the fake when a test asks (`startFakeSlack({ rateLimits: … })`). Limits are
 * per method for the whole workspace (every process of the app shares them), with bursts: a bucket holds a
 * minute's worth of calls and refills continuously. `chat.postMessage` is limited per channel (about one a
 * second, short bursts). Over the limit the fake answers like Slack: HTTP 429, `Retry-After: <seconds>`,
 * `{"ok":false,"error":"ratelimited"}`. Sources: the reference, slack-platform.md §2.
 */
export const TIER_PER_MINUTE: Readonly<Record<string, number>> = {
  'users.list': 20,
  'usergroups.users.list': 20,
  'usergroups.list': 20,
  'users.lookupByEmail': 50,
  'chat.update': 50,
  'conversations.open': 50,
  'users.info': 100,
  'conversations.members': 100,
  'files.info': 100,
  'views.open': 100,
  'views.push': 100,
  'views.update': 100,
  'views.publish': 100,
  'chat.postEphemeral': 100,
  'apps.connections.open': 50,
};

/** chat.postMessage: one a second per channel, bursts of this many (Slack says "short bursts"). */
const POST_MESSAGE_BURST = 10;

export type RateLimitOptions = {
  /** How much faster than Slack the buckets refill (tests: 10 = ten times Slack's rate). Default 1. */
  speed?: number;
  /** Milliseconds; tests may move it by hand. Default Date.now. */
  now?: () => number;
};

type Bucket = { tokens: number; at: number };

export class RateTiers {
  private readonly buckets = new Map<string, Bucket>();
  private readonly speed: number;
  private readonly now: () => number;

  constructor(opts: RateLimitOptions = {}) {
    this.speed = opts.speed ?? 1;
    this.now = opts.now ?? Date.now;
  }

  /** Takes one call from the method's budget; the seconds to wait (Retry-After) when there is none. */
  take(method: string, args: Record<string, unknown>): { ok: true } | { ok: false; retryAfter: number } {
    const limit = this.limitOf(method, args);
    if (!limit) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(limit.key) ?? { tokens: limit.capacity, at: now };
    const perMs = (limit.perMinute / 60_000) * this.speed;
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(limit.key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const waitMs = (1 - bucket.tokens) / perMs;
    return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private limitOf(method: string, args: Record<string, unknown>) {
    if (method === 'chat.postMessage') {
      const channel = typeof args.channel === 'string' ? args.channel : '';
      return { key: `chat.postMessage:${channel}`, perMinute: 60, capacity: POST_MESSAGE_BURST };
    }
    const perMinute = TIER_PER_MINUTE[method];
    return perMinute === undefined ? undefined : { key: method, perMinute, capacity: perMinute };
  }
}
