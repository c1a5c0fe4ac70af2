import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logging/logger.js';
import { installErrorNet, installStopSignals } from './process-guards.js';
import { type Bot, startBot } from './start-bot.js';

/**
 * Composition root: `.env` → configuration → adapters → services → Slack app → start.
 * The only place that reads `process.env` and builds real things (see start-bot.ts).
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `Kantata Groups for Slack cannot start.\n${error.message}\n\n` +
          `${existsSync('.env') ? 'Fix these in .env' : 'Copy .env.example to .env and fill it in'} ` +
          '(see README.md, "Configuration").\n',
      );
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      config.slack.botToken,
      config.slack.appToken,
      config.slack.signingSecret,
      config.kantata.apiToken,
    ].filter((s): s is string => typeof s === 'string'),
  });
  installErrorNet(logger);
  // Installed before starting: the start includes finishing interrupted changes, which may take a while, and a
  // SIGTERM meanwhile (a deploy, Ctrl-C) must stop the bot gracefully once it is up, not kill it mid-write.
  let bot: Bot | undefined;
  const signals = installStopSignals({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    stop: async () => bot?.stop(),
  });
  try {
    bot = await startBot(config, logger);
    signals.ready();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('start failed', { error });
    process.stderr.write(`Kantata Groups for Slack cannot start: ${message}\n`);
    process.exit(1);
  }
}

void main();
