import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BOT_SLACK_TOKEN, killBotProcesses } from './bot-process.js';
import { type FakeKantata, startFakeKantata } from './fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.js';

export type BotProcessWorld = { kantata: FakeKantata; slack: FakeSlack; dir: string };

type FakeSlackOptions = NonNullable<Parameters<typeof startFakeSlack>[0]>;

/**
 * The usual set-up of a describe block whose tests run bot processes: a fake Kantata, a fake Slack that
 * knows the bot's token and a scratch folder, made once before the tests (handed to `use`), every bot
 * process killed after each test, and all of it closed and removed after the last.
 */
export function useBotProcessWorld(
  dirPrefix: string,
  use: (world: BotProcessWorld) => void,
  slackOptions: Omit<FakeSlackOptions, 'botToken'> = {},
): void {
  let world: BotProcessWorld | undefined;

  beforeAll(async () => {
    const [kantata, slack] = await Promise.all([
      startFakeKantata(),
      startFakeSlack({ ...slackOptions, botToken: BOT_SLACK_TOKEN }),
    ]);
    world = { kantata, slack, dir: mkdtempSync(join(tmpdir(), dirPrefix)) };
    use(world);
  });

  afterEach(async () => {
    await killBotProcesses();
  });

  afterAll(async () => {
    await Promise.all([world?.kantata.close(), world?.slack.close()]);
    if (world) rmSync(world.dir, { recursive: true, force: true });
  });
}
