/**
 * The bot under test, alone in its own process so that its RSS is the bot's and nothing else's (the
 * fakes and the load generator live in the parent). Configured from the environment exactly as
 * `npm start` is (SPEC §6), started with `startBot`; samples its RSS every 50 ms and answers the parent
 * over IPC:
 *   parent → child  {type:'mark'}  collect garbage, start a new peak window → {type:'marked', memory}
 *                   {type:'peak'}  → {type:'memory', memory} (peak RSS since the last mark)
 *                   {type:'stop'}  graceful stop, then exit
 *   child → parent  {type:'ready', port} | {type:'failed', message}
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { startBot } from '../src/start-bot.js';

export type BotMemory = {
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  baselineRssMb: number;
  /** CPU time (user + system) the bot used since the last mark: its own work, whatever the machine's load. */
  cpuMs: number;
  /** The longest event-loop delay since the last mark (perf_hooks, 10 ms resolution). */
  loopDelayMaxMs: number;
};

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'marked'; memory: BotMemory }
  | { type: 'memory'; memory: BotMemory };

export type ParentMessage = { type: 'mark' } | { type: 'peak' } | { type: 'stop' };

const SAMPLE_MS = 50;
const MB = 1024 * 1024;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.slack.botToken, config.kantata.apiToken, config.slack.signingSecret ?? ''],
  });
  const bot = await startBot(config, logger, {
    botIdentity: { botId: process.env.BENCH_BOT_ID ?? '', botUserId: process.env.BENCH_BOT_USER_ID ?? '' },
    // The membership-end phase sweeps often, so that "due → announced" is not mostly the sweep interval.
    ...(process.env.BENCH_JOBS_INTERVAL_MS
      ? { jobsIntervalMs: Number(process.env.BENCH_JOBS_INTERVAL_MS) }
      : {}),
  });

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let baseline = process.memoryUsage().rss;
  let peak = baseline;
  let cpuAtMark = process.cpuUsage();
  // memoryUsage.rss() reads the RSS alone; memoryUsage() also walks the V8 heap's spaces, about 1 ms on a
  // large heap every 50 ms, on the event loop whose ack latency the bench measures.
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  const memory = (): BotMemory => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    const cpu = process.cpuUsage(cpuAtMark);
    return {
      rssMb: usage.rss / MB,
      peakRssMb: peak / MB,
      heapUsedMb: usage.heapUsed / MB,
      baselineRssMb: baseline / MB,
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayMaxMs: loopDelay.max / 1e6,
    };
  };

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'mark') {
      // Garbage from the previous scenario would otherwise be charged to the next one.
      (globalThis as { gc?: () => void }).gc?.();
      baseline = process.memoryUsage().rss;
      peak = baseline;
      cpuAtMark = process.cpuUsage();
      loopDelay.reset();
      send({ type: 'marked', memory: memory() });
    } else if (message.type === 'peak') {
      send({ type: 'memory', memory: memory() });
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      void bot.stop().finally(() => process.exit(0));
    }
  });
  // The parent going away must not leave a bot behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: bot.port ?? 0 });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
