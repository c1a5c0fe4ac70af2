import type { FakeSocketModeOptions } from '../fake-socket-mode/fake-socket-mode.js';
import type { RateLimitOptions } from './rate-tiers.js';

/** Shapes the fake Slack Web API exposes to tests. */

export type FakeSlackOptions = {
  /** The only bot token the fake accepts. Default `xoxb-fake`. */
  botToken?: string;
  /** Default `T0FAKETEAM`. */
  teamId?: string;
  /** How long a trigger_id stays usable. Default 3000 ms, as on Slack. */
  triggerTtlMs?: number;
  /** Serve Socket Mode too: `apps.connections.open` (app token) and the WebSocket (see fake-socket-mode). */
  socketMode?: boolean | FakeSocketModeOptions;
  /** Apply Slack's rate tiers (429 + Retry-After) to every call; off unless given. */
  rateLimits?: boolean | RateLimitOptions;
};

/** A workspace member. The object is live: mutating it changes what the fake answers from then on. */
export type FakeSlackUser = {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email?: string;
  isBot: boolean;
  deleted: boolean;
  isRestricted: boolean;
  isUltraRestricted: boolean;
  isAdmin: boolean;
  /** IANA time zone, as Slack keeps it for every user (`tz`). */
  tz: string;
};

export type NewFakeSlackUser = {
  id?: string;
  name?: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isAdmin?: boolean;
  /** Default `America/Los_Angeles`, Slack's own default for a new user. */
  tz?: string;
};

/** A channel for `conversations.members`. Live: change `memberIds` to change what the fake answers. */
export type FakeSlackChannel = {
  id: string;
  name: string;
  isPrivate: boolean;
  memberIds: string[];
};

export type RecordedCall = { method: string; args: Record<string, unknown>; at: number };

export type RecordedResponse = {
  url: string;
  /** The JSON the app posted (Bolt's `respond()`). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary message fields
  body: any;
  at: number;
  /** HTTP status the fake answered: 200, or 400 (invalid blocks) / 404 (unknown, expired or used up). */
  status: number;
};

export type FakeSlackMessage = {
  channel: string;
  ts: string;
  /** Set on thread replies. */
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  /** How many times chat.update replaced it. */
  updates: number;
  /** The full args of the last postMessage / update. */
  args: Record<string, unknown>;
};

export type FakeSlackEphemeral = {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  messageTs: string;
};

export type FakeSlackView = {
  id: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  /** `views.publish` only: whose Home tab this is. */
  userId?: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary view fields
  view: any;
  /** How many times views.update replaced it. */
  updates: number;
};
