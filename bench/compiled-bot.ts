import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { bundle } from '../scripts/bundle.js';
import { httpStatus } from '../test/fakes/http.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/**
 * How the bot is started: `npm start`'s command (compiled; also the container's), or `npm run dev`'s
 * (`tsx src/main.ts`, what `npm start` ran before), both without the npm process in front.
 */
export type StartMode = 'compiled' | 'dev';

/** The bot started as users start it, in a working directory of its own (no `.env`). */
export type SpawnedBot = {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT/slack/events` */
  endpoint: string;
  /** Milliseconds from the spawn to the first `/readyz` 200. */
  readyMs: number;
  /** CPU time the process has used so far, every thread (the scheduler's count: to the nanosecond). */
  cpuMs(): number;
  /** SIGTERM (a graceful stop), then the working directory goes. */
  stop(): Promise<void>;
};

/** Builds dist/ as `npm install` does: the (incremental) type check, then the bundle (scripts/bundle.ts). */
export async function buildDist(): Promise<void> {
  execFileSync(
    process.execPath,
    [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: REPO, stdio: 'inherit' },
  );
  await bundle();
}

/**
 * Spawns the bot (`env` is its whole configuration; it needs `PORT`) and polls `/readyz` every 5 ms until
 * it says 200 (store write probe, Kantata answered, HTTP listening).
 */
export async function spawnBot(mode: StartMode, env: Record<string, string>): Promise<SpawnedBot> {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  const args =
    mode === 'compiled'
      ? startScriptArgs()
      : [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'src/main.ts')];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    await stopChild(child);
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    await waitForReady(child, Number(env.PORT));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    child,
    endpoint: `http://127.0.0.1:${env.PORT}/slack/events`,
    readyMs: performance.now() - started,
    cpuMs: () => cpuNs(child.pid!) / 1e6,
    stop,
  };
}

/** Node's arguments in `npm start` (`exec node [flags] dist/main.js`), with the script made absolute. */
function startScriptArgs(): string[] {
  const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  // `exec`: the shell npm runs the script in gives way to node, so that npm's signals reach the bot.
  const [command, ...args] = (scripts.start ?? '').replace(/^exec\s+/, '').split(/\s+/);
  if (command !== 'node') throw new Error(`npm start is expected to run node, not: ${scripts.start}`);
  return args.map((arg) => (arg.startsWith('dist/') ? join(REPO, arg) : arg));
}

async function waitForReady(child: ChildProcess, port: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the bot exited with code ${child.exitCode} before it was ready`);
    if ((await httpStatus(`http://127.0.0.1:${port}/readyz`)) === 200) return;
    await sleep(5);
  }
  throw new Error('the bot was not ready within 30 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Nanoseconds on a CPU, summed over the process's threads (/proc/PID/task/TID/schedstat, first field). */
function cpuNs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended while we looked.
      }
    }
  } catch {
    // The process is gone.
  }
  return total;
}
