import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BOT_SLACK_TOKEN, killBotProcesses } from './bot-process.js';
import { type FakeKantata, startFakeKantata } from './fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.js';

export type Fakes = { kantata: FakeKantata; slack: FakeSlack };
export type BotProcessWorld = Fakes & { dir: string };

type FakeSlackOptions = NonNullable<Parameters<typeof startFakeSlack>[0]>;

export type WorldOptions = {
  /** The fake Slack's options; its bot token is always the bots' own. */
  slack?: Omit<FakeSlackOptions, 'botToken'>;
  /** One bot for the whole block: its processes are killed after the last test, not after each. */
  botsOutliveTests?: boolean;
};

/**
 * The usual set-up of a describe block whose tests run bot processes on the embedded (file) store: a fake
 * Kantata, a fake Slack that knows the bot's token and a scratch folder, made once before the tests (handed
 * to `use`), every bot process killed after each test, and all of it closed and removed after the last.
 */
export function useBotProcessWorld(
  dirPrefix: string,
  use: (world: BotProcessWorld) => void,
  options: WorldOptions = {},
): void {
  let dir: string | undefined;
  useFakes(
    options,
    (fakes) => {
      dir = mkdtempSync(join(tmpdir(), dirPrefix));
      use({ ...fakes, dir });
    },
    async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  );
}

/**
 * The fakes every process world shares (this one and describeOnPostgres's): started before the tests and
 * handed to `ready`, every bot process killed after each test (unless `botsOutliveTests`), and after the
 * last the bots killed, the fakes closed and `cleanUp` run.
 */
export function useFakes(
  options: WorldOptions,
  ready: (fakes: Fakes) => void | Promise<void>,
  cleanUp: () => Promise<void>,
): void {
  let fakes: Fakes | undefined;

  beforeAll(async () => {
    const [kantata, slack] = await Promise.all([
      startFakeKantata(),
      startFakeSlack({ ...options.slack, botToken: BOT_SLACK_TOKEN }),
    ]);
    fakes = { kantata, slack };
    await ready(fakes);
  });

  if (!options.botsOutliveTests) {
    afterEach(async () => {
      await killBotProcesses();
    });
  }

  afterAll(async () => {
    await killBotProcesses();
    await Promise.all([fakes?.kantata.close(), fakes?.slack.close()]);
    await cleanUp();
  });
}
