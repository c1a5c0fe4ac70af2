/**
 * # fake-kantata
 *
 * A real HTTP server (node:http on 127.0.0.1, ephemeral port) that behaves like the parts of the Kantata OX
 * API this app uses, for tests, the benchmark and the sandbox. Point `KANTATA_BASE_URL` at `fake.url`.
 *
 * ```ts
 * const fake = await startFakeKantata();             // token 'fake-kantata-token', owner "Bot Admin" (admin)
 * const design = fake.addGroup('Design');
 * const ann = fake.addUser({ email: 'ann@example.com', name: 'Ann' });
 * fake.addUsers(10_000);                              // user1@example.com … user10000@example.com, instant
 * fake.addMembership(ann.id, design.id);
 * fake.misbehave({ method: 'POST', path: '/user_group_memberships', action: { status: 503 } });
 * … run the code under test …
 * fake.memberships(design.id);                        // state afterwards
 * fake.requests;                                      // what was asked, in arrival order
 * await fake.close();
 * ```
 *
 * Routes (paths relative to `/api/v1`, `.json` suffix optional), Kantata's list format and errors:
 * - `GET /users` (`on_my_account`, `show_disabled`, `include=account_membership`, `by_email_address`,
 *   `by_email_addresses` ≤200, `by_full_name`, `only`, `order`, `page`, `per_page`). Without
 *   `on_my_account=true` only the token owner is visible (the fake has no projects); disabled users are hidden
 *   unless `show_disabled=true`.
 * - `GET /users/me` (`include=account_membership`).
 * - `GET /workspace_groups` (`matching` case-insensitive substring, `only`, `order`, paging); `GET
 *   /workspace_groups/{id}` (404 if missing).
 * - `GET /user_group_memberships` (`group_ids`, `user_ids`, `only`, `include=user,workspace_group`, `order`,
 *   paging); `POST` single or bulk (≤100, all-or-nothing, duplicates → 422); `DELETE /{id}` (204, 404).
 *   Membership objects carry no `id` (it is the map key) and integer `user_id`/`workspace_group_id`.
 *   Only a token owner who is an administrator may use these (else 403).
 *
 * Strict: any query parameter not in the route's allow-list (`query-rules.ts`, all documented by the spec)
 * → 400 naming it; `per_page` > 200 → 400; bodies not matching the spec → 400/422. Missing or wrong bearer
 * → 401 `type: oauth`. Errors are always `{"errors":[{"type","message"}]}`.
 */
import type { Server } from 'node:http';
import { Misbehaviour, type MisbehaviourRule } from './misbehaviour.js';
import { listen, type RecordedRequest, type ServerSettings } from './server.js';
import { FakeState, type FakeUserSeed } from './state.js';

export type { MisbehaviourAction, MisbehaviourRule } from './misbehaviour.js';
export { ALLOWED_QUERY_PARAMS } from './query-rules.js';
export type { RecordedRequest } from './server.js';
export type { FakeUserSeed } from './state.js';

export type FakeKantataOptions = {
  /** The only accepted bearer token; default `fake-kantata-token`. */
  token?: string;
  /** Delay before answering each request; default 0. */
  latencyMs?: number;
  /** The token owner; default an administrator "Bot Admin" <bot@example.com>. */
  owner?: FakeUserSeed;
};

export type FakeSeededUser = { id: string; email: string; name: string };

export interface FakeKantata {
  /** Base URL, e.g. `http://127.0.0.1:PORT/api/v1` (use as `KANTATA_BASE_URL`). */
  url: string;
  /** The only accepted bearer token. */
  token: string;
  /** The seeded token owner's user id. */
  ownerId: string;
  addGroup(name: string, id?: string): { id: string; name: string };
  addUser(u: FakeUserSeed): FakeSeededUser;
  /** Fast bulk seeding; emails `${prefix}${i}@${domain}` for i = 1..n, names `${prefix} ${i}`. */
  addUsers(n: number, prefix?: string, domain?: string): FakeSeededUser[];
  addMembership(userId: string, groupId: string): { id: string };
  /** Bulk: every user into the group. */
  addMembers(groupId: string, userIds: readonly string[]): { id: string }[];
  /** Change a seeded user's account membership. */
  updateUser(
    userId: string,
    patch: { admin?: boolean; permission?: string; disabled?: boolean; name?: string },
  ): void;
  /** Whose `/users/me` the token is. */
  setTokenOwner(userId: string): void;
  /** Current memberships (creation order), optionally of one group. */
  memberships(groupId?: string): { id: string; userId: string; groupId: string }[];
  groups(): { id: string; name: string }[];
  setLatency(ms: number): void;
  /** Misbehave on matching requests (see `MisbehaviourRule`). */
  misbehave(rule: MisbehaviourRule): void;
  clearMisbehaviour(): void;
  /** Any POST that includes this user answers 422 with `message` and creates nothing. */
  refuseUser(userId: string, message: string): void;
  /** Recorded requests, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Most requests in progress at once since start or the last `resetRequests()`. */
  readonly maxInFlight: number;
  /** Clears `requests` and `maxInFlight`. */
  resetRequests(): void;
  close(): Promise<void>;
}

/** Starts a fake Kantata server. Close it in `afterAll`/`afterEach`. */
export async function startFakeKantata(opts: FakeKantataOptions = {}): Promise<FakeKantata> {
  const state = new FakeState();
  const owner = state.addUser(opts.owner ?? { email: 'bot@example.com', name: 'Bot Admin', admin: true });
  state.tokenOwnerId = owner.id;
  const settings: ServerSettings = {
    token: opts.token ?? 'fake-kantata-token',
    latencyMs: opts.latencyMs ?? 0,
    state,
    misbehaviour: new Misbehaviour(),
    refusedUsers: new Map(),
    requests: [],
    inFlight: { now: 0, max: 0 },
  };
  const { server, url } = await listen(settings);
  const seeded = (u: { id: string; email: string; name: string }) => ({
    id: u.id,
    email: u.email,
    name: u.name,
  });

  return {
    url,
    token: settings.token,
    ownerId: owner.id,
    addGroup: (name, id) => {
      const group = state.addGroup(name, id);
      return { id: group.id, name: group.name };
    },
    addUser: (u) => seeded(state.addUser(u)),
    addUsers: (n, prefix = 'user', domain = 'example.com') =>
      Array.from({ length: n }, (_, i) =>
        seeded(state.addUser({ email: `${prefix}${i + 1}@${domain}`, name: `${prefix} ${i + 1}` })),
      ),
    addMembership: (userId, groupId) => ({ id: state.addMembership(userId, groupId).id }),
    addMembers: (groupId, userIds) =>
      userIds.map((userId) => ({ id: state.addMembership(userId, groupId).id })),
    updateUser: (userId, patch) =>
      state.updateUser(userId, {
        ...(patch.admin === undefined ? {} : { isAdministrator: patch.admin }),
        ...(patch.permission === undefined ? {} : { permission: patch.permission }),
        ...(patch.disabled === undefined
          ? {}
          : { disabledAt: patch.disabled ? new Date().toISOString() : null }),
        ...(patch.name === undefined ? {} : { name: patch.name }),
      }),
    setTokenOwner: (userId) => {
      if (!state.users.has(userId)) throw new Error(`fake-kantata: no user ${userId}`);
      state.tokenOwnerId = userId;
    },
    memberships: (groupId) =>
      state
        .membershipsOf(groupId === undefined ? undefined : [groupId])
        .map((m) => ({ id: m.id, userId: m.userId, groupId: m.groupId })),
    groups: () => [...state.groups.values()].map((g) => ({ id: g.id, name: g.name })),
    setLatency: (ms) => {
      settings.latencyMs = ms;
    },
    misbehave: (rule) => settings.misbehaviour.add(rule),
    clearMisbehaviour: () => settings.misbehaviour.clear(),
    refuseUser: (userId, message) => {
      settings.refusedUsers.set(userId, message);
    },
    get requests() {
      return settings.requests;
    },
    get maxInFlight() {
      return settings.inFlight.max;
    },
    resetRequests: () => {
      settings.requests.length = 0;
      settings.inFlight.max = settings.inFlight.now;
    },
    close: () => closeServer(server),
  };
}

async function closeServer(server: Server): Promise<void> {
  // Hung requests keep their sockets open; drop them so close() resolves.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
