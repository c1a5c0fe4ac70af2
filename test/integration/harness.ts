/**
 * Starts the real bot in HTTP mode on 127.0.0.1 against the fake Kantata server and the fake Slack Web
 * API, with a file store in a temporary directory: the seams a user would configure (SPEC §6), driven
 * by correctly signed requests exactly as Slack sends them.
 *
 * ```ts
 * const h = await startTestBot();
 * const ann = h.addPerson({ name: 'Ann', admin: true });
 * const design = h.kantata.addGroup('Design');
 * const reply = await h.command(ann.slackId, `add Design ${bob.email}`);   // waits for respond()
 * await h.click(ann.slackId, ACTION.changeApply, changeId, reply.responseUrl);
 * await h.stop();
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Store } from '../../src/approvals/ports.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { type Bot, type BotOptions, startBot } from '../../src/start-bot.js';
import { type FakeKantata, startFakeKantata } from '../fakes/fake-kantata/index.js';
import {
  type FakeSlack,
  type RecordedResponse,
  type SignedResponse,
  sendInteraction,
  sendSlashCommand,
  startFakeSlack,
} from '../fakes/fake-slack/index.js';
import { createShiftedClock, type TestClock } from '../fakes/test-clock.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const NOTIFY_CHANNEL = 'C0NOTIFY';
export const APPROVALS_CHANNEL = 'C0APPROVE';

export type TestBotOptions = {
  /** Extra environment (APPROVAL_POLICY, REQUEST_TTL, UNDO_WINDOW, MAX_PEOPLE_PER_CHANGE…). */
  env?: Record<string, string>;
  /** Reuse fakes / store file from an earlier bot (restart tests). */
  kantata?: FakeKantata;
  slack?: FakeSlack;
  storeFile?: string;
  store?: Store;
  clock?: TestClock;
  /** Capture log lines (for the "token never logged" checks). */
  logLines?: string[];
  bot?: Partial<BotOptions>;
};

export type Person = { slackId: string; kantataId: string; email: string; name: string };

export type CommandReply = {
  status: number;
  responseUrl: string;
  triggerId: string;
  /** Everything respond() posted to this command's response_url so far. */
  responses: () => RecordedResponse[];
};

export type TestBot = {
  bot: Bot;
  config: Config;
  endpoint: string;
  kantata: FakeKantata;
  slack: FakeSlack;
  clock: TestClock;
  storeFile: string;
  logger: Logger;
  /** A person who exists in Slack and in Kantata with the same email. */
  addPerson(p: {
    name: string;
    email?: string;
    admin?: boolean;
    guest?: boolean;
    disabled?: boolean;
  }): Person;
  /** Sends `/groups <text>`, signed; waits until the app has answered through respond() (`expectResponses`). */
  command(
    userId: string,
    text: string,
    opts?: { expectResponses?: number; retryNum?: number; triggerId?: string; responseUrl?: string },
  ): Promise<CommandReply>;
  /** Clicks a button in a message whose response_url is given (ephemeral preview) or a channel message. */
  click(
    userId: string,
    actionId: string,
    value: string,
    where?: {
      responseUrl?: string;
      channel?: string;
      messageTs?: string;
      triggerId?: string;
      /** The clicker's own workspace (a Slack Connect user's is not the app's). */
      teamId?: string;
    },
  ): Promise<SignedResponse>;
  /** Sends any interactive payload, signed. */
  interact(payload: object): Promise<SignedResponse>;
  /** Responses posted to one response_url. */
  responsesTo(responseUrl: string): RecordedResponse[];
  /** Waits until `count` responses reached the response_url, then returns the last one's body. */
  // biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
  waitForResponse(responseUrl: string, count?: number): Promise<any>;
  /** Stops the bot (graceful), keeps the fakes and the store file unless `everything`. */
  stopBot(): Promise<void>;
  /** Stops everything and removes the temporary directory. */
  stop(): Promise<void>;
};

let personCounter = 0;

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const kantata = options.kantata ?? (await startFakeKantata());
  const slack = options.slack ?? (await startFakeSlack());
  const dir = options.storeFile ? undefined : mkdtempSync(join(tmpdir(), 'groups-bot-'));
  const storeFile = options.storeFile ?? join(dir!, 'store.json');
  const clock = options.clock ?? createShiftedClock();
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    KANTATA_API_TOKEN: kantata.token,
    KANTATA_BASE_URL: kantata.url,
    NOTIFY_CHANNEL_ID: NOTIFY_CHANNEL,
    APPROVALS_CHANNEL_ID: APPROVALS_CHANNEL,
    STORE_URL: `file:${storeFile}`,
    LOG_LEVEL: options.logLines ? 'debug' : 'error',
    ...options.env,
  });
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.slack.botToken, config.kantata.apiToken, SIGNING_SECRET],
    write: options.logLines ? (line) => options.logLines?.push(line) : () => {},
  });
  const bot = await startBot(config, logger, {
    clock,
    botIdentity: { botId: slack.botId, botUserId: slack.botUserId },
    kantataTimeoutMs: 3_000,
    kantataRetryBaseMs: 5,
    jobsIntervalMs: 200,
    ...(options.store ? { store: options.store } : {}),
    ...options.bot,
  });
  const endpoint = `http://127.0.0.1:${bot.port}/slack/events`;

  const responsesTo = (url: string) => slack.responses.filter((r) => r.url === url);
  const waitForResponse = async (url: string, count = 1) => {
    await vi.waitFor(
      () => {
        if (responsesTo(url).length < count) throw new Error(`waiting for ${count} response(s) to ${url}`);
      },
      { timeout: 15_000, interval: 20 },
    );
    return responsesTo(url)[count - 1]?.body;
  };

  let botStopped = false;
  const stopBot = async () => {
    if (botStopped) return;
    botStopped = true;
    await bot.stop();
  };

  return {
    bot,
    config,
    endpoint,
    kantata,
    slack,
    clock,
    storeFile,
    logger,
    addPerson(p) {
      personCounter += 1;
      const email = p.email ?? `${p.name.toLowerCase().replace(/\W+/g, '.')}.${personCounter}@example.com`;
      const k = kantata.addUser({
        email,
        name: p.name,
        admin: p.admin ?? false,
        disabled: p.disabled ?? false,
      });
      const s = slack.addUser({ name: p.name, realName: p.name, email, isRestricted: p.guest ?? false });
      return { slackId: s.id, kantataId: k.id, email, name: p.name };
    },
    async command(userId, text, opts = {}) {
      const responseUrl = opts.responseUrl ?? slack.responseUrl();
      const triggerId = opts.triggerId ?? slack.newTriggerId();
      const before = responsesTo(responseUrl).length;
      const result = await sendSlashCommand(
        endpoint,
        SIGNING_SECRET,
        { text, user_id: userId, response_url: responseUrl, trigger_id: triggerId },
        opts.retryNum === undefined ? {} : { retryNum: opts.retryNum },
      );
      if (opts.expectResponses !== 0)
        await waitForResponse(responseUrl, before + (opts.expectResponses ?? 1));
      return { status: result.status, responseUrl, triggerId, responses: () => responsesTo(responseUrl) };
    },
    click(userId, actionId, value, where = {}) {
      const payload = {
        type: 'block_actions',
        user: {
          id: userId,
          username: userId.toLowerCase(),
          name: userId.toLowerCase(),
          team_id: where.teamId ?? slack.teamId,
        },
        api_app_id: slack.appId,
        token: 'fake-verification-token',
        container: {
          type: 'message',
          message_ts: where.messageTs ?? '1700000000.000100',
          channel_id: where.channel ?? 'C0FAKECHAN',
          is_ephemeral: where.responseUrl !== undefined && where.messageTs === undefined,
        },
        trigger_id: where.triggerId ?? slack.newTriggerId(),
        team: { id: where.teamId ?? slack.teamId, domain: 'fake-team' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: where.channel ?? 'C0FAKECHAN', name: 'general' },
        message: { ts: where.messageTs ?? '1700000000.000100', type: 'message', text: '' },
        state: { values: {} },
        response_url: where.responseUrl ?? slack.responseUrl(),
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'actions',
            value,
            text: { type: 'plain_text', text: 'button' },
            action_ts: String(Date.now() / 1000),
          },
        ],
      };
      return sendInteraction(endpoint, SIGNING_SECRET, payload);
    },
    interact: (payload) => sendInteraction(endpoint, SIGNING_SECRET, payload),
    responsesTo,
    waitForResponse,
    stopBot,
    async stop() {
      await stopBot();
      if (!options.kantata) await kantata.close();
      if (!options.slack) await slack.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A started harness with the usual cast: Ada Admin and Mo Member, added in that order. */
export async function startBotWithAdminAndMember(
  options: TestBotOptions = {},
): Promise<{ h: TestBot; admin: Person; member: Person }> {
  const h = await startTestBot(options);
  return {
    h,
    admin: h.addPerson({ name: 'Ada Admin', admin: true }),
    member: h.addPerson({ name: 'Mo Member' }),
  };
}

/** As `startBotWithAdminAndMember`, with a second approver, Otto Admin, added between the two. */
export async function startBotWithTwoAdminsAndMember(
  options: TestBotOptions = {},
): Promise<{ h: TestBot; admin: Person; otherAdmin: Person; member: Person }> {
  const h = await startTestBot(options);
  return {
    h,
    admin: h.addPerson({ name: 'Ada Admin', admin: true }),
    otherAdmin: h.addPerson({ name: 'Otto Admin', admin: true }),
    member: h.addPerson({ name: 'Mo Member' }),
  };
}
