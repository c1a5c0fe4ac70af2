/**
 * The real bot as a child process (`node --import tsx src/main.ts`, or the compiled one), for the process-level tests: a crash
 * (SIGKILL), a graceful stop (SIGTERM), two replicas on one store, start-up refusals. The child sees only
 * the environment given here (plus PATH, HOME, TMPDIR), runs in a temporary working directory (so a
 * developer's `.env` is never read) and logs JSON lines on stderr, which are collected and parsed.
 *
 * ```ts
 * const bot = await startBotProcess({ env: botEnv({ slack, kantata, storeUrl: `file:${file}` }) });
 * await sendSlashCommand(bot.endpoint, SIGNING_SECRET, {...});
 * bot.kill('SIGKILL');
 * await bot.waitForExit();
 * ```
 * Call `killBotProcesses()` in `afterEach`: nothing outlives a failed test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, vi } from 'vitest';
import {
  blockActionPayload,
  type FakeSlack,
  type FakeSlackMessage,
  findElement,
  type SignedResponse,
  sendInteraction,
  sendSlashCommand,
} from './fake-slack/index.js';
import { httpGet } from './http.js';

export const BOT_SIGNING_SECRET = 'process-test-signing-secret';
/** Pass to `startFakeSlack({ botToken })`: the configuration wants `xoxb-` and a few more characters. */
export const BOT_SLACK_TOKEN = 'xoxb-process-test-token';
export const BOT_NOTIFY_CHANNEL = 'C0NOTIFY';
export const BOT_APPROVALS_CHANNEL = 'C0APPROVE';

/** The line main.ts logs once the HTTP server listens (with `port`). */
export const RUNNING_MESSAGE = 'Kantata Groups for Slack is running';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(REPO_ROOT, 'src', 'main.ts');
// An absolute URL: the child's working directory is a temp dir with no node_modules.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export type LogRecord = { level?: string; msg?: string; [field: string]: unknown };
export type BotExit = { code: number | null; signal: NodeJS.Signals | null };

export type BotProcess = {
  readonly pid: number;
  /** The HTTP port it listens on. */
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT/slack/events` */
  readonly endpoint: string;
  /** Everything written to stderr / stdout so far. */
  stderr(): string;
  stdout(): string;
  /** The JSON log lines on stderr so far (other lines are skipped). */
  logs(): LogRecord[];
  waitForLog(match: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
  kill(signal?: NodeJS.Signals): void;
  /** GET on the bot's HTTP server (no keep-alive: nothing stays open): `/healthz`. */
  get(path: string): Promise<{ status: number; json: unknown }>;
  /** Resolves when the process has exited; kills it with SIGKILL (and rejects) after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<BotExit>;
  /** Null while it runs. */
  readonly exit: BotExit | null;
};

/** The environment a bot needs to run against the fakes in HTTP mode (PORT is chosen by the helper). */
export function botEnv(opts: {
  slack: { apiUrl: string; botToken: string };
  kantata: { url: string; token: string };
  storeUrl: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: opts.slack.botToken,
    SLACK_SIGNING_SECRET: BOT_SIGNING_SECRET,
    SLACK_API_URL: opts.slack.apiUrl,
    KANTATA_API_TOKEN: opts.kantata.token,
    KANTATA_BASE_URL: opts.kantata.url,
    NOTIFY_CHANNEL_ID: BOT_NOTIFY_CHANNEL,
    APPROVALS_CHANNEL_ID: BOT_APPROVALS_CHANNEL,
    STORE_URL: opts.storeUrl,
    LOG_LEVEL: 'info',
    ...opts.extra,
  };
}

const running = new Set<ChildProcess>();

/** SIGKILLs every bot process still running and waits for them: for `afterEach`/`afterAll`. */
export async function killBotProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * Starts a bot and resolves once it logs that it is running (Kantata checked, HTTP server listening).
 * Unless `env` names a PORT, the bot binds a free one (PORT=0) and the port is read from that log line.
 * Rejects with its stderr if it exits first.
 */
export async function startBotProcess(opts: {
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /** Node's arguments instead of the sources through tsx: e.g. the compiled `dist/main.js` (absolute). */
  nodeArgs?: string[];
  /** A command the bot is started through (it ends by exec-ing its arguments), e.g. a mount namespace. */
  wrapper?: string[];
}): Promise<BotProcess> {
  const child = spawnBot({ PORT: '0', HOST: '127.0.0.1', ...opts.env }, opts.nodeArgs, opts.wrapper);
  try {
    const running = await child.waitForLog((r) => r.msg === RUNNING_MESSAGE, opts.readyTimeoutMs ?? 45_000);
    const port = Number(running.port);
    if (!Number.isInteger(port) || port <= 0) throw new Error(`"${RUNNING_MESSAGE}" came without a port`);
    return withPort(child, port);
  } catch (error) {
    if (child.exit === null) {
      child.kill('SIGKILL');
      await child.waitForExit().catch(() => undefined);
    }
    throw error;
  }
}

/** `/groups <text>` sent to the bot by `userId`; its answers go to `responseUrl`. */
export function sendGroupsCommand(
  bot: BotProcess,
  slack: FakeSlack,
  command: { userId: string; text: string; responseUrl: string },
): Promise<SignedResponse> {
  return sendSlashCommand(bot.endpoint, BOT_SIGNING_SECRET, {
    text: command.text,
    user_id: command.userId,
    response_url: command.responseUrl,
    trigger_id: slack.newTriggerId(),
  });
}

/**
 * `/groups <text>` sent to the bot by `userId` (acked with 200), and the bot's first answer: the
 * command's response_url and that answer's body.
 */
export async function askBot(
  bot: BotProcess,
  slack: FakeSlack,
  command: { userId: string; text: string },
  // biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
): Promise<{ responseUrl: string; body: any }> {
  const responseUrl = slack.responseUrl();
  const ack = await sendGroupsCommand(bot, slack, { ...command, responseUrl });
  expect(ack.status).toBe(200);
  return { responseUrl, body: await waitForResponse(slack, responseUrl, 1, bot) };
}

/** The value (a change id) of the button `actionId` in a message body, or '' when it has none. */
export function buttonValueIn(body: { blocks?: unknown } | undefined, actionId: string): string {
  return String(findElement(body?.blocks, actionId)?.element.value ?? '');
}

type ButtonClick = { userId: string; actionId: string; responseUrl: string; value?: string };

/** Clicks a button carrying `value` on the ephemeral preview a command was answered with. */
export function clickPreviewButton(
  bot: BotProcess,
  slack: FakeSlack,
  click: ButtonClick & { value: string },
): Promise<SignedResponse> {
  return clickButton(bot, slack, click, { channel: 'C0FAKECHAN', ts: '1700000000.000100', ephemeral: true });
}

/**
 * Clicks a button on a message the bot posted (an approval card, an owner's DM), as Slack sends it: the
 * message as it is now, and `value` (or the button's own when none is given).
 */
export function clickMessageButton(
  bot: BotProcess,
  slack: FakeSlack,
  click: ButtonClick & { message: FakeSlackMessage },
): Promise<SignedResponse> {
  const { channel, ts, blocks, text } = click.message;
  return clickButton(bot, slack, click, { channel, ts, blocks: blocks ?? [], text: text ?? '' });
}

function clickButton(
  bot: BotProcess,
  slack: FakeSlack,
  click: ButtonClick,
  message: NonNullable<Parameters<typeof blockActionPayload>[0]['message']>,
): Promise<SignedResponse> {
  return sendInteraction(
    bot.endpoint,
    BOT_SIGNING_SECRET,
    blockActionPayload({
      userId: click.userId,
      actionId: click.actionId,
      triggerId: slack.newTriggerId(),
      responseUrl: click.responseUrl,
      ...(click.value !== undefined ? { value: click.value } : {}),
      message,
    }),
  );
}

/** The body of the `count`-th response to `url`, once it came (a timeout shows the bot's stderr). */
export async function waitForResponse(
  slack: FakeSlack,
  url: string,
  count: number,
  bot: BotProcess,
  // biome-ignore lint/suspicious/noExplicitAny: message bodies are read loosely in tests
): Promise<any> {
  await vi.waitFor(
    () => {
      if (slack.responses.filter((r) => r.url === url).length < count) {
        throw new Error(
          `waiting for ${count} response(s) to ${url}; bot stderr:\n${bot.stderr().slice(-2000)}`,
        );
      }
    },
    { timeout: 30_000, interval: 25 },
  );
  return slack.responses.filter((r) => r.url === url)[count - 1]?.body;
}

/**
 * Runs a bot that is expected to stop on its own (a refused start) with exactly this environment (no
 * PORT is added); kills it after `timeoutMs`.
 */
export async function runBotProcessToExit(opts: {
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<BotExit & { stderr: string; stdout: string }> {
  const child = spawnBot(opts.env);
  const exit = await child.waitForExit(opts.timeoutMs ?? 45_000);
  return { ...exit, stderr: child.stderr(), stdout: child.stdout() };
}

type Child = Omit<BotProcess, 'port' | 'baseUrl' | 'endpoint' | 'get'>;

function withPort(child: Child, port: number): BotProcess {
  const baseUrl = `http://127.0.0.1:${port}`;
  return Object.assign(child, {
    port,
    baseUrl,
    endpoint: `${baseUrl}/slack/events`,
    get: (path: string) => getJson(`${baseUrl}${path}`),
  });
}

function spawnBot(
  env: Record<string, string>,
  nodeArgs = ['--import', TSX_LOADER, MAIN],
  wrapper: string[] = [],
): Child {
  const cwd = mkdtempSync(join(tmpdir(), 'bot-process-'));
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR'] as const) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  const [command, ...args] = [...wrapper, process.execPath, ...nodeArgs];
  const child = spawn(command!, args, {
    cwd,
    env: { ...base, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  let stdout = '';
  let exit: BotExit | null = null;
  const exited = new Promise<BotExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      rmSync(cwd, { recursive: true, force: true });
      resolve(exit);
    });
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });

  const logs = (): LogRecord[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LogRecord];
        } catch {
          return [];
        }
      });

  const waitForLog = async (match: (record: LogRecord) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs().find(match);
      if (found) return found;
      if (exit !== null) {
        throw new Error(`the bot exited (${describeExit(exit)}) before the awaited log line:\n${stderr}`);
      }
      if (Date.now() > deadline)
        throw new Error(`the awaited log line did not come in ${timeoutMs} ms:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  return {
    pid: child.pid ?? -1,
    stderr: () => stderr,
    stdout: () => stdout,
    logs,
    waitForLog,
    kill: (signal = 'SIGTERM') => {
      if (exit === null) child.kill(signal);
    },
    async waitForExit(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the bot did not exit within ${timeoutMs} ms; killed it:\n${stderr}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    get exit() {
      return exit;
    },
  };
}

function describeExit(exit: BotExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

async function getJson(url: string): Promise<{ status: number; json: unknown }> {
  const { status, body } = await httpGet(url);
  try {
    return { status, json: JSON.parse(body) as unknown };
  } catch {
    return { status, json: body };
  }
}
