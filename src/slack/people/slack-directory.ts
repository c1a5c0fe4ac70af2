import type { webApi } from '@slack/bolt';
import type { PersonRef } from '../../membership/types.js';
import { mapWithConcurrency } from '../../util/map-with-concurrency.js';
import type { PersonToken } from '../grammar/types.js';
import { listChannelMembers } from './channel-members.js';
import { createDirectoryRefresher } from './directory-refresher.js';
import { type ProfileLookup, toTargetRules } from './profile-to-person-ref.js';
import { resolvePersonTokens } from './resolve-person-tokens.js';
import { slackErrorCode, slackUnavailable as unavailable } from './slack-people-error.js';
import { parseSlackUser, type SlackProfile } from './slack-profile.js';
import {
  type CompleteSnapshot,
  createMemorySnapshotStore,
  type DirectorySnapshotStore,
} from './snapshot/snapshot-store.js';
import { createUsergroupCache } from './usergroup-cache.js';

export type DirectoryLogger = {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
};

export type SlackDirectoryDeps = {
  /** Bolt's `app.client` (or any WebClient); only users.*, usergroups.* and conversations.members are used. */
  client: Pick<webApi.WebClient, 'users' | 'usergroups' | 'conversations'>;
  /** For users.list loads: a client (queue) of their own, so a long load never holds back replies. */
  backgroundClient?: Pick<webApi.WebClient, 'users'>;
  /** How often the snapshot is reloaded from users.list. Default 10 minutes. */
  refreshIntervalMs?: number;
  /** Where the snapshot survives restarts (and is shared by replicas). Default: memory only. */
  snapshots?: DirectorySnapshotStore;
  /** This process, for the refresh lease between replicas. */
  owner?: string;
  /** How often a replica looks for a snapshot another one saved. Default 30 s. */
  followIntervalMs?: number;
  /** With no snapshot yet (the first start ever), a command naming up to this many asks users.info. Default 50. */
  firstStartUserInfoLimit?: number;
  /** Oldest profile `getCallerProfile` accepts before asking users.info. Default 60 s (SPEC §2's admin cache). */
  callerMaxAgeMs?: number;
  /** How long a user group's members are reused. Default 60 s. */
  usergroupTtlMs?: number;
  /** users.info calls one resolution may make for people missing from the snapshot. Default 20. */
  maxUserInfoPerResolution?: number;
  /** users.info calls in flight at once. Default 4. */
  userInfoConcurrency?: number;
  /** Earliest reload after the last one when new people keep appearing (users.list is Tier 2). Default 60 s. */
  minRefreshGapMs?: number;
  now?: () => number;
  logger?: DirectoryLogger;
};

/** Said to the person while the first directory load runs: "Looking up 1,000 people in Slack, about 1 minute…". */
export type DirectoryWait = { people: number; etaMs: number };

export type ResolvePeopleOptions = {
  /** Called once, before waiting for the first directory load, so the person is told why it takes a while. */
  onWait?: (wait: DirectoryWait) => Promise<void>;
  /** IDENTITY_EMAIL_DOMAINS: emails read from Slack profiles outside these domains are not used. */
  emailDomains?: readonly string[];
  /** Default false: guests are not added to groups (SPEC §4.1 lists "guest" among the unresolved). */
  allowGuests?: boolean;
};

/**
 * Slack people at the scale of a whole workspace, within Slack's rate tiers. A snapshot of users.list
 * (Tier 2, 200 a page) answers almost every lookup, so naming 300 people costs no users.info call;
 * people missing from it (new joiners) are asked with users.info (Tier 4), at most
 * `maxUserInfoPerResolution` per resolution.
 *
 * Freshness: snapshot profiles are at most `refreshIntervalMs` (+ one load) old. That is fine for
 * targets of a change, whose emails are then checked against Kantata anyway. The *caller* of a command
 * decides who may do what, so `getCallerProfile` only trusts a profile read in the last `callerMaxAgeMs`
 * and otherwise asks users.info: a user turned into a guest, deactivated, or with an edited email is seen
 * within a minute, at the cost of about one users.info per active caller per minute.
 */
export type SlackDirectory = {
  /** Loads the saved snapshot, then keeps it fresh every `refreshIntervalMs`, in the background. */
  start(): Promise<void>;
  /** Stops the background refresh and waits for a load in progress. */
  stop(): Promise<void>;
  /** Reloads the snapshot (shares a load already in progress). */
  refresh(): Promise<void>;
  /** A profile from the snapshot (waiting for the first load), else users.info; null if Slack has no such user. */
  getProfile(slackUserId: string, opts?: { maxAgeMs?: number }): Promise<SlackProfile | null>;
  /** For identity and authorization: a profile no older than `callerMaxAgeMs`. */
  getCallerProfile(slackUserId: string): Promise<SlackProfile | null>;
  /**
   * Slack ids of active people with these emails, from the loaded directory only (no Slack call: the
   * reminders of 1,000 ending memberships must not cost 1,000 Tier-3 lookups). Lower-cased email → id.
   */
  slackIdsByEmail(emails: readonly string[]): Map<string, string>;
  /** Many profiles at once, within the users.info budget. */
  getProfiles(
    slackUserIds: readonly string[],
    opts?: Pick<ResolvePeopleOptions, 'onWait'>,
  ): Promise<Map<string, ProfileLookup>>;
  /**
   * Members of a user group: one usergroups.users.list call, reused for `usergroupTtlMs` (or `maxAgeMs`: a
   * standing sync asks with 0, it must see who is in the group now).
   */
  expandUsergroup(usergroupId: string, maxAgeMs?: number): Promise<string[]>;
  /** Members of a channel: conversations.members, every page (never cached: a sync must see who is there now). */
  expandChannel(channelId: string): Promise<string[]>;
  resolvePersonTokens(tokens: readonly PersonToken[], opts?: ResolvePeopleOptions): Promise<PersonRef[]>;
  /** The modal's multi_users_select: the same as naming each with `<@U…>`. */
  resolveSlackUserIds(slackUserIds: readonly string[], opts?: ResolvePeopleOptions): Promise<PersonRef[]>;
  stats(): { users: number; loadedAt: number | null };
};

type Entry = { profile: SlackProfile; fetchedAt: number };

export function createSlackDirectory(deps: SlackDirectoryDeps): SlackDirectory {
  const now = deps.now ?? Date.now;
  const refreshIntervalMs = deps.refreshIntervalMs ?? 10 * 60_000;
  const callerMaxAgeMs = deps.callerMaxAgeMs ?? 60_000;
  const budget = deps.maxUserInfoPerResolution ?? 20;
  const concurrency = deps.userInfoConcurrency ?? 4;
  const minRefreshGapMs = deps.minRefreshGapMs ?? 60_000;
  const log = deps.logger;

  const firstStartLimit = deps.firstStartUserInfoLimit ?? 50;
  let entries = new Map<string, Entry>();
  /** Profiles learned from users.info since the snapshot: kept when a newer snapshot replaces it. */
  let learned = new Map<string, Entry>();
  const waiters: { resolve(): void; reject(error: unknown): void }[] = [];
  let lastRefreshAskedAt = Number.NEGATIVE_INFINITY;
  const userInfoInFlight = new Map<string, Promise<ProfileLookup>>();
  const usergroups = createUsergroupCache({ client: deps.client, ttlMs: deps.usergroupTtlMs ?? 60_000, now });

  function adopt(snapshot: CompleteSnapshot): void {
    const next = new Map<string, Entry>(
      snapshot.profiles.map((p) => [p.id, { profile: p, fetchedAt: snapshot.loadedAt }]),
    );
    for (const [id, entry] of learned) {
      if (entry.fetchedAt > snapshot.loadedAt) next.set(id, entry);
    }
    learned = new Map([...learned].filter(([, e]) => e.fetchedAt > snapshot.loadedAt));
    entries = next;
    for (const w of waiters.splice(0)) w.resolve();
  }

  const refresher = createDirectoryRefresher({
    client: deps.backgroundClient ?? deps.client,
    snapshots: deps.snapshots ?? createMemorySnapshotStore(),
    owner: deps.owner ?? `directory-${process.pid}-${Math.random().toString(36).slice(2)}`,
    refreshIntervalMs,
    followIntervalMs: deps.followIntervalMs ?? Math.min(30_000, refreshIntervalMs),
    now,
    ...(log ? { logger: log } : {}),
    onSnapshot: adopt,
    onFailure(error) {
      if (refresher.loadedAt() === null) for (const w of waiters.splice(0)) w.reject(error);
    },
  });

  function remember(profile: SlackProfile): void {
    const entry = { profile, fetchedAt: now() };
    entries.set(profile.id, entry);
    learned.set(profile.id, entry);
  }

  /** The first snapshot ever: resolves when this process (or another replica) has saved one. */
  function waitForSnapshot(): Promise<void> {
    const waiting = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    refresher.refresh().catch((error: unknown) => {
      if (refresher.loadedAt() === null) for (const w of waiters.splice(0)) w.reject(error);
    });
    return waiting;
  }

  function askForRefresh(reason: string): void {
    if (now() - lastRefreshAskedAt < minRefreshGapMs) return;
    lastRefreshAskedAt = now();
    refresher
      .refresh()
      .catch((error: unknown) =>
        log?.warn('slack directory refresh failed', { reason, slackError: slackErrorCode(error) }),
      );
  }

  function userInfo(id: string): Promise<ProfileLookup> {
    const pending = userInfoInFlight.get(id);
    if (pending) return pending;
    const lookup = deps.client.users
      .info({ user: id })
      .then((res): ProfileLookup => {
        const profile = parseSlackUser(res.user);
        if (!profile) return { status: 'unknown' };
        remember(profile);
        return { status: 'found', profile };
      })
      .catch((error: unknown): ProfileLookup => {
        const slackError = slackErrorCode(error);
        if (slackError === 'user_not_found') return { status: 'unknown' };
        log?.warn('users.info failed', { slackUserId: id, slackError });
        return slackError === undefined ? { status: 'failed' } : { status: 'failed', slackError };
      })
      .finally(() => userInfoInFlight.delete(id));
    userInfoInFlight.set(id, lookup);
    return lookup;
  }

  function fromSnapshot(ids: readonly string[], result: Map<string, ProfileLookup>): string[] {
    const missing: string[] = [];
    for (const id of ids) {
      const entry = entries.get(id);
      if (entry) result.set(id, { status: 'found', profile: entry.profile });
      else missing.push(id);
    }
    return missing;
  }

  async function getProfiles(
    ids: readonly string[],
    opts: Pick<ResolvePeopleOptions, 'onWait'> = {},
  ): Promise<Map<string, ProfileLookup>> {
    const unique = [...new Set(ids)];
    const result = new Map<string, ProfileLookup>();
    let missing = fromSnapshot(unique, result);
    if (missing.length === 0) return result;
    let limit = budget;
    if (refresher.loadedAt() === null) {
      // The first start ever: a few people are asked one by one (Tier 4); many wait for the listing.
      limit = firstStartLimit;
      if (missing.length > firstStartLimit) {
        await opts.onWait?.({ people: missing.length, etaMs: Math.ceil(missing.length / 200) * 3_000 });
        try {
          await waitForSnapshot();
        } catch (error) {
          throw unavailable('Slack did not list the workspace members.', error);
        }
        missing = fromSnapshot(missing, result);
        limit = budget;
        if (missing.length === 0) return result;
      }
    }
    const asked = missing.slice(0, limit);
    const answers = await mapWithConcurrency(asked, concurrency, userInfo);
    if (answers.every((a) => a.status === 'failed')) {
      const first = answers[0];
      throw unavailable(
        'Slack did not answer users.info.',
        undefined,
        first?.status === 'failed' ? first.slackError : undefined,
      );
    }
    for (const [i, id] of asked.entries()) result.set(id, answers[i] ?? { status: 'failed' });
    const skipped = missing.slice(limit);
    for (const id of skipped) result.set(id, { status: 'not_looked_up' });
    if (skipped.length > 0) askForRefresh('many_unknown_users');
    log?.debug('slack profiles', {
      asked: unique.length,
      userInfo: asked.length,
      notLookedUp: skipped.length,
    });
    return result;
  }

  function toProfile(lookup: ProfileLookup | undefined): SlackProfile | null {
    if (lookup?.status === 'found') return lookup.profile;
    if (lookup?.status === 'unknown') return null;
    // not_looked_up cannot happen for a single id; failed is Slack being unavailable.
    throw unavailable(
      'Slack did not say who this is.',
      undefined,
      lookup?.status === 'failed' ? lookup.slackError : undefined,
    );
  }

  async function getProfile(id: string, opts: { maxAgeMs?: number } = {}): Promise<SlackProfile | null> {
    if (opts.maxAgeMs === undefined) return toProfile((await getProfiles([id])).get(id));
    const entry = entries.get(id);
    if (entry && now() - entry.fetchedAt <= opts.maxAgeMs) return entry.profile;
    const lookup = await userInfo(id);
    if (lookup.status === 'failed' && entry) {
      // Availability over freshness: the snapshot copy is at most one refresh interval old.
      log?.warn('using an older Slack profile', { slackUserId: id, ageMs: now() - entry.fetchedAt });
      return entry.profile;
    }
    return toProfile(lookup);
  }

  const directory: SlackDirectory = {
    start: () => refresher.start(),
    stop: () => refresher.stop(),
    refresh: () => refresher.refresh(),
    getProfile,
    getCallerProfile: (id) => getProfile(id, { maxAgeMs: callerMaxAgeMs }),
    getProfiles,
    expandUsergroup: (id, maxAgeMs) => usergroups.expand(id, maxAgeMs),
    expandChannel: (id) => listChannelMembers(deps.client, id),
    resolvePersonTokens: (tokens, opts) =>
      resolvePersonTokens(
        {
          getProfiles: (ids) => getProfiles(ids, opts ?? {}),
          expandUsergroup: directory.expandUsergroup,
          expandChannel: directory.expandChannel,
        },
        tokens,
        toTargetRules(opts),
      ),
    resolveSlackUserIds: (ids, opts) =>
      directory.resolvePersonTokens(
        ids.map((userId) => ({ kind: 'slack_user', userId })),
        opts,
      ),
    slackIdsByEmail(emails) {
      const wanted = new Set(emails.map((email) => email.toLowerCase()));
      const found = new Map<string, string>();
      for (const { profile } of entries.values()) {
        const email = profile.email?.toLowerCase();
        if (email && wanted.has(email) && !profile.deleted && !profile.isBot) found.set(email, profile.id);
      }
      return found;
    },
    stats: () => ({ users: entries.size, loadedAt: refresher.loadedAt() }),
  };
  return directory;
}
