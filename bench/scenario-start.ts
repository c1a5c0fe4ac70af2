import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { httpStatus } from '../test/fakes/http.js';
import { processTree, rssKb } from '../test/fakes/proc.js';
import type { BenchWorld } from './world.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/**
 * How the bot is started: `npm start`'s command (compiled; also the container's), or `npm run dev`'s
 * (`tsx src/main.ts`, what `npm start` ran before), both without the npm process in front.
 */
export type StartMode = 'compiled' | 'dev';

export type StartRun = {
  /** Spawn → first `/readyz` 200. */
  startMs: number;
  /** RSS of the bot's whole process tree once idle. */
  idleRssMb: number;
  /** Processes in that tree (the bot and whatever it spawned). */
  processes: number;
};

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

/** Compiles the sources as `npm install` does (incremental: a no-op when dist/ is current). */
export function buildDist(): void {
  execFileSync(
    process.execPath,
    [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: REPO,
      stdio: 'inherit',
    },
  );
}

/**
 * Starts the real entry point the way users run it, in a working directory of its own (no `.env`), polls
 * `/readyz` every 5 ms until it says 200, lets the bot sit idle for `idleMs`, reads the RSS of its process
 * tree from /proc, then stops it with SIGTERM. Kantata answers without added latency here: this measures
 * the bot, not the network.
 */
export async function measureStart(
  world: BenchWorld,
  mode: StartMode,
  opts: { idleMs: number },
): Promise<StartRun> {
  world.kantata.setLatency(0);
  const env: Record<string, string> = { ...(await world.botEnv()), HOST: '127.0.0.1', LOG_LEVEL: 'error' };
  const cwd = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const args =
    mode === 'compiled'
      ? startScriptArgs()
      : [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'src/main.ts')];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForReady(child, Number(env.PORT));
    const startMs = performance.now() - started;
    await sleep(opts.idleMs);
    const tree = processTree(child.pid!);
    const idleRssMb = tree.reduce((sum, pid) => sum + rssKb(pid), 0) / 1024;
    return { startMs, idleRssMb, processes: tree.length };
  } finally {
    await stop(child);
    rmSync(cwd, { recursive: true, force: true });
  }
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

function stop(child: ChildProcess): Promise<void> {
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

export type StartPhase = { compiled: StartRun[]; dev: StartRun[] };

/** `runs` starts of each kind, alternating so that the machine's load falls on both alike. */
export async function startPhase(
  world: BenchWorld,
  opts: { runs: number; idleMs: number },
): Promise<StartPhase> {
  buildDist();
  const result: StartPhase = { compiled: [], dev: [] };
  for (let i = 0; i < opts.runs; i++) {
    result.compiled.push(await measureStart(world, 'compiled', opts));
    result.dev.push(await measureStart(world, 'dev', opts));
  }
  return result;
}
