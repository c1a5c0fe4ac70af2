import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ViewOutput } from '@slack/bolt';
import { attachFakeSocketMode, type FakeSocketMode } from '../fake-socket-mode/fake-socket-mode.js';
import type {
  FakeSlackChannel,
  FakeSlackOptions,
  FakeSlackUser,
  NewFakeSlackUser,
  RecordedCall,
  RecordedResponse,
} from './fake-slack-types.js';
import { type FakeSlackFile, FileStore } from './files.js';
import { parseCall, readBody, sendJson, sendText } from './http-io.js';
import { MessageStore, ViewStore } from './message-store.js';
import { type FakeContext, METHODS, type MethodResult } from './methods/index.js';
import { viewOutput } from './methods/views.js';
import { RateTiers } from './rate-tiers.js';
import { ResponseUrls } from './response-urls.js';
import { Directory, IdSource, Triggers, TsSource } from './workspace.js';

/**
 * A fake of Slack's Web API on 127.0.0.1, for the integration tests, the benchmark and the sandbox.
 * Point WebClient / Bolt's `clientOptions.slackApiUrl` (or `SLACK_API_URL`) at `apiUrl`.
 * It answers like Slack: HTTP 200 with `{ok:true,…}` or `{ok:false,error}`, and it refuses what Slack
 * refuses (Block Kit limits, used trigger_ids, response_urls past 5 uses).
 */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/` */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly teamId: string;
  /** The bot's own user: give these to Bolt's `App` (`botId`, `botUserId`) so it skips `auth.test`. */
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** A file as if someone uploaded it in a modal's file_input (served by files.info and its download URL). */
  addFile(f: { name: string; content: string | Uint8Array; mimetype?: string }): FakeSlackFile;
  /** The file object Slack puts in a view_submission's `files` for this file. */
  fileJson(fileId: string): Record<string, unknown>;
  /** The next `times` downloads of any file fail with HTTP 500. */
  failDownloads(times: number): void;
  /** A fresh response_url served by this fake; what is posted to it lands in `responses`. */
  responseUrl(): string;
  /** A trigger_id that works once, within 3 s. Pass the id of an open modal to allow `views.push` from it. */
  newTriggerId(fromViewId?: string): string;
  addUser(u?: NewFakeSlackUser): FakeSlackUser;
  /** `n` people named `${prefix}${i}` with email `${prefix}${i}@${domain}`, i = start … start+n-1 (start 0). */
  addUsers(n: number, opts?: { prefix?: string; domain?: string; start?: number }): FakeSlackUser[];
  /** Creates or replaces a user group (`<!subteam^ID>`). */
  addUsergroup(id: string, handle: string, userIds: string[]): void;
  /** Deletes a user group: usergroups.users.list then answers `no_such_subteam`. */
  removeUsergroup(id: string): void;
  /**
   * Creates or replaces a channel (`<#C…|name>`) with these members. A private one is only readable when the
   * bot is among `memberIds` (put `botUserId` there), as on Slack. The returned object is live.
   */
  addChannel(c: { id?: string; name: string; isPrivate?: boolean; memberIds: string[] }): FakeSlackChannel;
  user(id: string): FakeSlackUser | undefined;
  /** The DM channel id (`D…`) that chat.postMessage / conversations.open use for this user. */
  dmChannelOf(userId: string): string;
  /** Every Web API call, refused ones included. `token` is never recorded. */
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Calls per method, e.g. `{ 'users.list': 26, 'usergroups.users.list': 1 }`: for rate-tier budgets. */
  callCounts(): Record<string, number>;
  /** Every POST to a response_url, refused ones included (see `status`). */
  readonly responses: RecordedResponse[];
  readonly messages: MessageStore;
  readonly views: ViewStore;
  /**
   * A view as Slack puts it in interactive payloads (`view_submission`, block_actions in a modal),
   * with the given input values. Throws if the view does not exist.
   */
  viewPayload(viewId: string, values?: ViewOutput['state']['values']): ViewOutput;
  /**
   * The next `times` calls of `method` answer `{ok:false, error}`. `ratelimited` answers HTTP 429 with
   * `Retry-After: <retryAfterSeconds>` (default 1), as Slack does.
   */
  failNext(method: string, error: string, times?: number, retryAfterSeconds?: number): void;
  /** Socket Mode's server side, when started with `socketMode`. */
  readonly socketMode: FakeSocketMode | undefined;
  /** Calls answered 429 by the rate tiers or by `failNext(…, 'ratelimited')`, per method. */
  rateLimitedCounts(): Record<string, number>;
  /** Delay every answer by `ms`. */
  setLatency(ms: number): void;
  /** Clears recorded calls and responses, pending failures and latency; users, messages and views stay. */
  reset(): void;
  close(): Promise<void>;
}

type Failure = { error: string; remaining: number; retryAfter: number };

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = opts.botToken ?? 'xoxb-fake';
  const ids = new IdSource();
  const directory = new Directory(ids);
  const dmChannels = new Map<string, string>();
  const dmChannelOf = (userId: string): string => {
    let id = dmChannels.get(userId);
    if (!id) {
      id = ids.next('D');
      dmChannels.set(userId, id);
    }
    return id;
  };
  const ctx: FakeContext = {
    teamId: opts.teamId ?? 'T0FAKETEAM',
    botUserId: 'U0FAKEBOT0',
    botId: 'B0FAKEBOT0',
    appId: 'A0FAKEAPP0',
    ids,
    ts: new TsSource(),
    directory,
    triggers: new Triggers(opts.triggerTtlMs ?? 3000),
    messages: new MessageStore(dmChannelOf),
    views: new ViewStore(),
    dmChannelOf,
  };
  // Real workspaces list the bot itself and Slackbot (which is *not* flagged is_bot) in users.list.
  directory.add({ id: ctx.botUserId, name: 'groups-bot', realName: 'Groups Bot', isBot: true });
  directory.add({ id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot' });

  const responseUrls = new ResponseUrls();
  const files = new FileStore(ids, () => base, botToken);
  ctx.files = files;
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const failures = new Map<string, Failure[]>();
  let latencyMs = 0;
  const tiers = opts.rateLimits ? new RateTiers(opts.rateLimits === true ? {} : opts.rateLimits) : undefined;
  const rateLimited: Record<string, number> = {};
  let socketMode: FakeSocketMode | undefined;

  function takeFailure(method: string): Failure | undefined {
    const queue = failures.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head;
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const raw = await readBody(req);
    const parsed = parseCall(req, raw, url);
    calls.push({ method, args: parsed.ok ? parsed.args : {}, at: Date.now() });
    const answer = (result: MethodResult, status = 200, headers: Record<string, string> = {}) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      sendJson(res, status, result);
    };
    const limited = (retryAfter: number) => {
      rateLimited[method] = (rateLimited[method] ?? 0) + 1;
      answer({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(retryAfter) });
    };
    if (method === 'apps.connections.open' && socketMode && parsed.ok) {
      const tier = tiers?.take(method, parsed.args);
      if (tier && !tier.ok) return limited(tier.retryAfter);
      const open = socketMode.handleOpen(parsed.token);
      return answer(open.body as MethodResult, open.status, open.headers);
    }
    const handler = METHODS[method];
    if (!handler) return answer({ ok: false, error: 'unknown_method' });
    if (!parsed.ok) return answer({ ok: false, error: parsed.error });
    if (parsed.token === undefined) return answer({ ok: false, error: 'not_authed' });
    if (parsed.token !== botToken) return answer({ ok: false, error: 'invalid_auth' });
    const injected = takeFailure(method);
    if (injected?.error === 'ratelimited') return limited(injected.retryAfter);
    if (injected) return answer({ ok: false, error: injected.error });
    const tier = tiers?.take(method, parsed.args);
    if (tier && !tier.ok) return limited(tier.retryAfter);
    answer(handler(ctx, parsed.args));
  }

  async function handleResponseUrl(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    id: string,
  ): Promise<void> {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const answer = responseUrls.accept(id, body);
    responses.push({ url: url.toString(), body, at: Date.now(), status: answer.status });
    sendJson(res, answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const run = async () => {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      if (api?.[1] && (req.method === 'POST' || req.method === 'GET'))
        return handleApi(req, res, url, api[1]);
      const download = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\//.exec(url.pathname);
      if (download?.[1] && req.method === 'GET') return files.serve(req, res, download[1]);
      const response = /^\/response\/([a-f0-9]+)$/.exec(url.pathname);
      if (response?.[1] && req.method === 'POST') return handleResponseUrl(req, res, url, response[1]);
      req.resume();
      sendText(res, 404, 'not found');
    };
    run().catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `fake-slack: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  if (opts.socketMode) {
    socketMode = attachFakeSocketMode(
      server,
      `ws://127.0.0.1:${port}`,
      opts.socketMode === true ? {} : opts.socketMode,
    );
  }

  return {
    apiUrl: `${base}/api/`,
    botToken,
    teamId: ctx.teamId,
    botUserId: ctx.botUserId,
    botId: ctx.botId,
    appId: ctx.appId,
    responseUrl: () => `${base}/response/${responseUrls.issue()}`,
    addFile: (f) => files.add(f),
    fileJson(fileId) {
      const file = files.files.get(fileId);
      if (!file) throw new Error(`fake-slack: no file ${fileId}`);
      return files.json(file);
    },
    failDownloads(times) {
      files.failingDownloads = times;
    },
    newTriggerId: (fromViewId) => ctx.triggers.issue(fromViewId),
    addUser: (u = {}) => directory.add(u),
    addUsers(n, o = {}) {
      const prefix = o.prefix ?? 'user';
      const domain = o.domain ?? 'example.com';
      const start = o.start ?? 0;
      const label = prefix.charAt(0).toUpperCase() + prefix.slice(1);
      return Array.from({ length: n }, (_, k) => {
        const i = start + k;
        return directory.add({
          name: `${prefix}${i}`,
          realName: `${label} ${i}`,
          email: `${prefix}${i}@${domain}`,
        });
      });
    },
    addUsergroup(id, handle, userIds) {
      directory.usergroups.set(id, { handle, userIds: [...userIds] });
    },
    removeUsergroup(id) {
      directory.usergroups.delete(id);
    },
    addChannel(c) {
      const channel: FakeSlackChannel = {
        // Slack gives private channels C… ids too nowadays (G… only for old ones).
        id: c.id ?? ids.next('C'),
        name: c.name,
        isPrivate: c.isPrivate ?? false,
        memberIds: [...c.memberIds],
      };
      directory.channels.set(channel.id, channel);
      return channel;
    },
    user: (id) => directory.users.get(id),
    dmChannelOf,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    callCounts() {
      const counts: Record<string, number> = {};
      for (const c of calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
      return counts;
    },
    responses,
    messages: ctx.messages,
    views: ctx.views,
    viewPayload(viewId, values = {}) {
      const stored = ctx.views.get(viewId);
      if (!stored) throw new Error(`fake-slack: no view ${viewId}`);
      return { ...viewOutput(ctx, stored), state: { values } } as unknown as ViewOutput;
    },
    failNext(method, error, times = 1, retryAfterSeconds = 1) {
      const queue = failures.get(method) ?? [];
      queue.push({ error, remaining: times, retryAfter: retryAfterSeconds });
      failures.set(method, queue);
    },
    get socketMode() {
      return socketMode;
    },
    rateLimitedCounts: () => ({ ...rateLimited }),
    setLatency(ms) {
      latencyMs = ms;
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      failures.clear();
      latencyMs = 0;
    },
    close: async () => {
      await socketMode?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold the server open until they time out.
        server.closeAllConnections();
      });
    },
  };
}
