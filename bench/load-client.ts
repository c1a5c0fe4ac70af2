import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadAnswer, LoadMessage, PreparedRequest, SentResult } from './load-generator.js';

/** The parent's handle on `bench/load-generator.ts`: one child process for the whole bench. */
export type LoadClient = {
  /** Sends the prepared requests to `endpoint`, `inFlight` at a time; per request, its time to the response. */
  send(endpoint: string, requests: PreparedRequest[], inFlight: number): Promise<SentResult[]>;
  /** CPU time the generator used for its last run (it shares the machine's cores with the bot). */
  lastCpuMs(): number;
  close(): Promise<void>;
};

export async function startLoadClient(): Promise<LoadClient> {
  const script = fileURLToPath(new URL('./load-generator.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // One run at a time: the runs of the bench are sequential.
  let queue: Promise<unknown> = Promise.resolve();
  let lastCpuMs = 0;
  return {
    send(endpoint, requests, inFlight) {
      const run = queue.then(
        () =>
          new Promise<SentResult[]>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
            child.once('exit', onExit);
            child.once('message', (answer: LoadAnswer) => {
              child.off('exit', onExit);
              if (answer.type === 'done') {
                lastCpuMs = answer.cpuMs;
                resolve(answer.results);
              } else reject(new Error(`the load generator failed: ${answer.message}`));
            });
            child.send({ type: 'run', endpoint, requests, inFlight } satisfies LoadMessage);
          }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    lastCpuMs: () => lastCpuMs,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
