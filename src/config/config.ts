import * as z from 'zod';
import { OWNERS_MAY_VALUES, type OwnersMay } from '../approvals/owners/types.js';
import { parseDuration } from './duration.js';

export const APPROVAL_POLICIES = ['admins-direct', 'four-eyes', 'admins-only'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Config = {
  slack: {
    botToken: string;
    /** Set: Socket Mode. Unset: HTTP mode. */
    appToken?: string;
    signingSecret?: string;
    port: number;
    /** The interface to listen on (HTTP mode: Slack's requests; both modes: /healthz); all when unset. */
    host?: string;
    apiUrl?: string;
    /** Socket Mode: connections kept open at once (SOCKET_CONNECTIONS), so that a refresh never leaves none. */
    socketConnections: number;
  };
  kantata: { apiToken: string; baseUrl: string; concurrency: number };
  notifyChannelId: string;
  approvalsChannelId: string;
  approvalPolicy: ApprovalPolicy;
  /** What group owners may do (SPEC §4.8). */
  ownersMay: OwnersMay;
  requestTtlMs: number;
  undoWindowMs: number;
  /** Lease of a running change (see `Lease`): another replica takes over a change this long after its owner stopped. */
  changeLeaseMs: number;
  maxPeoplePerChange: number;
  /** The longest `--for` / `--until` (SPEC §4.6). */
  maxMembershipMs: number;
  /** How long before a temporary membership ends its reminder goes out. */
  expiryReminderMs: number;
  /** SYNC_INTERVAL: how often standing syncs run. */
  syncIntervalMs: number;
  /** SYNC_MAX_REMOVALS: a standing sync run removing more people waits for an administrator. */
  syncMaxRemovals: number;
  /** Lower-cased; empty means any domain. */
  identityEmailDomains: string[];
  storeUrl: string;
  /** Unused previews are dropped from the store after this long. */
  previewTtlMs: number;
  /** The embedded store's lease on its file: a crashed holder is taken over after this long. */
  storeLockLeaseMs: number;
  logLevel: LogLevel;
  /** How long a stop waits for work in flight (SHUTDOWN_TIMEOUT); stop signals meanwhile are ignored. */
  shutdownTimeoutMs: number;
  /** Set: Prometheus metrics on `GET /metrics` on this port (and HOST). Unset: no metrics at all. */
  metricsPort?: number;
};

/** Empty strings in a `.env` mean "not set": `PORT=` must fall back to the default, not become 0. */
const optionalText = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === '' ? undefined : value))
  .optional();

function required(description: string) {
  return optionalText.pipe(z.string({ error: `is required (${description})` }));
}

function withPrefix(prefix: string, description: string) {
  return required(description).refine((value) => value.startsWith(prefix) && value.length > prefix.length, {
    error: `must be the whole token, starting with "${prefix}" (${description})`,
  });
}

function integer(min: number, max: number, fallback: number) {
  return optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return Number(value);
  });
}

function duration(fallback: string) {
  return optionalText.transform((value, ctx) => {
    const ms = parseDuration(value ?? fallback);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration such as 15m, 36h or 7d' });
      return z.NEVER;
    }
    return ms;
  });
}

function oneOf<const T extends readonly string[]>(values: T, fallback: T[number]) {
  return optionalText.transform((value, ctx) => {
    const chosen = (value ?? fallback).toLowerCase();
    if (!(values as readonly string[]).includes(chosen)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return chosen as T[number];
  });
}

const httpUrl = optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/i.test(value), {
  error: 'must be an http(s) URL',
});

const channelId = (description: string) =>
  required(description).refine((value) => /^[CGD][A-Z0-9]{2,}$/.test(value), {
    error: `must be a Slack channel id such as C0123456789, not a channel name (${description})`,
  });

const envSchema = z.object({
  SLACK_BOT_TOKEN: withPrefix('xoxb-', 'the bot token from OAuth & Permissions'),
  SLACK_APP_TOKEN: optionalText.refine((value) => value === undefined || value.startsWith('xapp-'), {
    error: 'must start with "xapp-" (the app-level token for Socket Mode)',
  }),
  SLACK_SIGNING_SECRET: optionalText,
  // 0 asks the system for a free port (tests, sandboxes); the log says which.
  PORT: integer(0, 65_535, 3000),
  HOST: optionalText.refine((value) => value === undefined || /^[A-Za-z0-9.:[\]-]+$/.test(value), {
    error: 'must be a host name or an IP address such as 127.0.0.1',
  }),
  SLACK_API_URL: httpUrl,
  // Slack allows up to 10 per app; two means a refresh or a dropped socket never leaves the process deaf.
  SOCKET_CONNECTIONS: integer(1, 10, 2),
  KANTATA_API_TOKEN: required("a Kantata account administrator's OAuth token"),
  KANTATA_BASE_URL: httpUrl,
  KANTATA_CONCURRENCY: integer(1, 32, 4),
  NOTIFY_CHANNEL_ID: channelId('the channel where changes are announced'),
  APPROVALS_CHANNEL_ID: optionalText.refine(
    (value) => value === undefined || /^[CGD][A-Z0-9]{2,}$/.test(value),
    {
      error: 'must be a Slack channel id such as C0123456789',
    },
  ),
  APPROVAL_POLICY: oneOf(APPROVAL_POLICIES, 'admins-direct'),
  OWNERS_MAY: oneOf(OWNERS_MAY_VALUES, 'approve'),
  REQUEST_TTL: duration('7d'),
  UNDO_WINDOW: duration('15m'),
  CHANGE_LEASE: duration('30s'),
  MAX_PEOPLE_PER_CHANGE: integer(1, 10_000, 1000),
  MAX_MEMBERSHIP_DURATION: duration('365d').refine((ms) => ms >= 60_000, { error: 'must be at least 1m' }),
  EXPIRY_REMINDER: duration('1d'),
  SYNC_INTERVAL: duration('1h'),
  SYNC_MAX_REMOVALS: integer(0, 100_000, 10),
  IDENTITY_EMAIL_DOMAINS: optionalText.transform((value, ctx) => {
    const domains = (value ?? '')
      .split(',')
      .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean);
    if (domains.some((domain) => !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain))) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a comma-separated list of domains such as example.com',
      });
      return z.NEVER;
    }
    return domains;
  }),
  STORE_URL: optionalText.refine(
    (value) => value === undefined || /^(file:|postgres(ql)?:\/\/)/.test(value),
    {
      error: 'must be file:<path> or postgres://…',
    },
  ),
  PREVIEW_TTL: duration('24h'),
  STORE_LOCK_LEASE: duration('10s').refine((ms) => ms >= 2_000, { error: 'must be at least 2s' }),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  SHUTDOWN_TIMEOUT: duration('30s'),
  // -1: not set (metrics off).
  METRICS_PORT: integer(0, 65_535, -1),
});

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads the configuration from an environment (SPEC §6). Throws one ConfigError listing every problem
 * by variable name; values never appear in it, since they may be secrets.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
  // Checked outside the schema so that it is reported together with every other problem.
  if (!isSet(env.SLACK_APP_TOKEN) && !isSet(env.SLACK_SIGNING_SECRET)) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)',
    );
  }
  if (parsed.success && parsed.data.METRICS_PORT > 0 && parsed.data.METRICS_PORT === parsed.data.PORT) {
    problems.push('METRICS_PORT must differ from PORT (metrics are served on a port of their own)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      port: e.PORT,
      host: e.HOST,
      apiUrl: e.SLACK_API_URL,
      socketConnections: e.SOCKET_CONNECTIONS,
    },
    kantata: {
      apiToken: e.KANTATA_API_TOKEN,
      baseUrl: (e.KANTATA_BASE_URL ?? 'https://api.mavenlink.com/api/v1').replace(/\/+$/, ''),
      concurrency: e.KANTATA_CONCURRENCY,
    },
    notifyChannelId: e.NOTIFY_CHANNEL_ID,
    approvalsChannelId: e.APPROVALS_CHANNEL_ID ?? e.NOTIFY_CHANNEL_ID,
    approvalPolicy: e.APPROVAL_POLICY,
    ownersMay: e.OWNERS_MAY,
    requestTtlMs: e.REQUEST_TTL,
    undoWindowMs: e.UNDO_WINDOW,
    changeLeaseMs: e.CHANGE_LEASE,
    maxPeoplePerChange: e.MAX_PEOPLE_PER_CHANGE,
    maxMembershipMs: e.MAX_MEMBERSHIP_DURATION,
    expiryReminderMs: e.EXPIRY_REMINDER,
    syncIntervalMs: e.SYNC_INTERVAL,
    syncMaxRemovals: e.SYNC_MAX_REMOVALS,
    identityEmailDomains: e.IDENTITY_EMAIL_DOMAINS,
    storeUrl: e.STORE_URL ?? 'file:./data/store.json',
    previewTtlMs: e.PREVIEW_TTL,
    storeLockLeaseMs: e.STORE_LOCK_LEASE,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    ...(e.METRICS_PORT >= 0 ? { metricsPort: e.METRICS_PORT } : {}),
  };
}
