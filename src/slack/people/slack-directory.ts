import type { webApi } from '@slack/bolt';
import type { PersonRef } from '../../membership/types.js';
import type { PersonToken } from '../grammar/types.js';
import { loadWorkspaceUsers } from './load-workspace-users.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { type ProfileLookup, toTargetRules } from './profile-to-person-ref.js';
import { resolvePersonTokens } from './resolve-person-tokens.js';
import { SlackPeopleError, slackErrorCode } from './slack-people-error.js';
import { parseSlackUser, type SlackProfile } from './slack-profile.js';
import { createUsergroupCache } from './usergroup-cache.js';

export type DirectoryLogger = {
  warn(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
};

export type SlackDirectoryDeps = {
  /** Bolt's `app.client` (or any WebClient); only users.* and usergroups.* are used. */
  client: Pick<webApi.WebClient, 'users' | 'usergroups'>;
  /** For users.list loads: a client (queue) of their own, so a long load never holds back replies. */
  backgroundClient?: Pick<webApi.WebClient, 'users'>;
  /** How often the snapshot is reloaded from users.list. Default 10 minutes. */
  refreshIntervalMs?: number;
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

export type ResolvePeopleOptions = {
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
  /** Loads the snapshot now and then every `refreshIntervalMs`, in the background. */
  start(): void;
  /** Stops the background refresh and waits for a load in progress. */
  stop(): Promise<void>;
  /** Reloads the snapshot (shares a load already in progress). */
  refresh(): Promise<void>;
  /** A profile from the snapshot (waiting for the first load), else users.info; null if Slack has no such user. */
  getProfile(slackUserId: string, opts?: { maxAgeMs?: number }): Promise<SlackProfile | null>;
  /** For identity and authorization: a profile no older than `callerMaxAgeMs`. */
  getCallerProfile(slackUserId: string): Promise<SlackProfile | null>;
  /** Many profiles at once, within the users.info budget. */
  getProfiles(slackUserIds: readonly string[]): Promise<Map<string, ProfileLookup>>;
  /** Members of a user group: one usergroups.users.list call, reused for `usergroupTtlMs`. */
  expandUsergroup(usergroupId: string): Promise<string[]>;
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

  let entries = new Map<string, Entry>();
  let loadedAt: number | null = null;
  let loading: Promise<void> | null = null;
  /** Profiles learned from users.info while a load runs: kept when the new snapshot replaces the old. */
  let learnedDuringLoad: Map<string, Entry> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const userInfoInFlight = new Map<string, Promise<ProfileLookup>>();
  const usergroups = createUsergroupCache({ client: deps.client, ttlMs: deps.usergroupTtlMs ?? 60_000, now });

  function remember(profile: SlackProfile): void {
    const entry = { profile, fetchedAt: now() };
    entries.set(profile.id, entry);
    learnedDuringLoad?.set(profile.id, entry);
  }

  function refresh(): Promise<void> {
    if (loading) return loading;
    const startedAt = now();
    learnedDuringLoad = new Map();
    loading = loadWorkspaceUsers({
      client: deps.backgroundClient ?? deps.client,
      ...(log ? { logger: log } : {}),
    })
      .then((profiles) => {
        const next = new Map<string, Entry>(
          profiles.map((p) => [p.id, { profile: p, fetchedAt: startedAt }]),
        );
        for (const [id, entry] of learnedDuringLoad ?? []) next.set(id, entry);
        entries = next;
        loadedAt = startedAt;
      })
      .finally(() => {
        loading = null;
        learnedDuringLoad = null;
      });
    return loading;
  }

  function refreshInBackground(reason: string): void {
    refresh().catch((error: unknown) =>
      log?.warn('slack directory refresh failed', { reason, slackError: slackErrorCode(error) }),
    );
  }

  function schedule(): void {
    timer = setTimeout(() => {
      refresh()
        .catch((error: unknown) =>
          log?.warn('slack directory refresh failed', {
            reason: 'interval',
            slackError: slackErrorCode(error),
          }),
        )
        .finally(() => {
          if (running) schedule();
        });
    }, refreshIntervalMs);
    // The refresh must never keep the process alive on its own.
    timer.unref();
  }

  async function ensureLoaded(): Promise<unknown> {
    if (loadedAt !== null) return undefined;
    try {
      await refresh();
      return undefined;
    } catch (error) {
      log?.warn('slack directory not loaded; asking users.info', { slackError: slackErrorCode(error) });
      return error;
    }
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

  async function getProfiles(ids: readonly string[]): Promise<Map<string, ProfileLookup>> {
    const unique = [...new Set(ids)];
    const loadError = await ensureLoaded();
    const result = new Map<string, ProfileLookup>();
    const missing: string[] = [];
    for (const id of unique) {
      const entry = entries.get(id);
      if (entry) result.set(id, { status: 'found', profile: entry.profile });
      else missing.push(id);
    }
    if (missing.length === 0) return result;
    if (loadError !== undefined && missing.length > budget) {
      throw unavailable('Slack did not list the workspace members.', loadError);
    }
    const asked = missing.slice(0, budget);
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
    const skipped = missing.slice(budget);
    for (const id of skipped) result.set(id, { status: 'not_looked_up' });
    if (skipped.length > 0 && (loadedAt === null || now() - loadedAt >= minRefreshGapMs)) {
      refreshInBackground('many_unknown_users');
    }
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
    start() {
      if (running) return;
      running = true;
      refreshInBackground('start');
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await loading?.catch(() => undefined);
    },
    refresh,
    getProfile,
    getCallerProfile: (id) => getProfile(id, { maxAgeMs: callerMaxAgeMs }),
    getProfiles,
    expandUsergroup: (id) => usergroups.expand(id),
    resolvePersonTokens: (tokens, opts) => resolvePersonTokens(directory, tokens, toTargetRules(opts)),
    resolveSlackUserIds: (ids, opts) =>
      resolvePersonTokens(
        directory,
        ids.map((userId) => ({ kind: 'slack_user', userId })),
        toTargetRules(opts),
      ),
    stats: () => ({ users: entries.size, loadedAt }),
  };
  return directory;
}

function unavailable(message: string, cause?: unknown, slackError?: string): SlackPeopleError {
  const code = slackError ?? slackErrorCode(cause);
  return new SlackPeopleError('slack_unavailable', message, {
    ...(cause === undefined ? {} : { cause }),
    ...(code === undefined ? {} : { slackError: code }),
  });
}
