import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BotMemory, ChildMessage, ParentMessage } from './bot-process.js';

export type BotChild = {
  /** `http://127.0.0.1:PORT/slack/events` */
  endpoint: string;
  /** Collects garbage in the bot and starts a new peak-RSS window; resolves with the bot's memory then. */
  mark(): Promise<BotMemory>;
  /** The bot's memory now, with the peak RSS since the last `mark`. */
  memory(): Promise<BotMemory>;
  /** Graceful stop (in-flight work finishes first), then the process exits. */
  stop(): Promise<void>;
};

const START_TIMEOUT_MS = 30_000;

/**
 * Starts `bench/bot-process.ts` in a child process (tsx as the loader, `--expose-gc` for `mark`), with
 * `env` as its whole configuration, and waits until the bot listens.
 */
export async function startBotChild(env: Record<string, string>): Promise<BotChild> {
  const script = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: [
      '--import',
      import.meta.resolve('tsx'),
      '--expose-gc',
      // BENCH_NODE_FLAGS="--flag …": extra node/V8 flags for the bot (to try one against the same run).
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : []),
      // BENCH_CPU_PROF=<dir>: the bot writes a V8 CPU profile there when it stops (to find where time goes).
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bot did not start within 30 s')), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the bot exited with code ${code} before it was ready`)));
    child.once('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message.port);
      else
        reject(
          new Error(`the bot could not start: ${message.type === 'failed' ? message.message : message.type}`),
        );
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}/slack/events`,
    mark: () => ask(child, { type: 'mark' }, 'marked'),
    memory: () => ask(child, { type: 'peak' }, 'memory'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' } satisfies ParentMessage);
      }),
  };
}

function ask(child: ChildProcess, message: ParentMessage, answer: 'marked' | 'memory'): Promise<BotMemory> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ChildMessage) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply.memory);
    };
    child.on('message', onMessage);
    child.send(message, (error) => {
      if (error) reject(new Error(`the bot process is gone: ${error.message}`));
    });
  });
}
