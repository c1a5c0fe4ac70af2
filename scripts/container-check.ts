/**
 * `npm run container:check`: the Dockerfile's steps without Docker (this machine has no Docker engine and
 * cannot pull images). In a temporary directory, with each stage's filesystem a folder of its own:
 *   - the build context is a clean copy of the repository (what git would commit) filtered by
 *     .dockerignore;
 *   - every COPY, WORKDIR, ENV and RUN of every stage is carried out as written (RUN through `sh -c`, so
 *     `npm ci` really installs from the registry and `npm prune` really drops the dev dependencies);
 *   - the final stage's CMD is started with its ENV against the fake Slack and the fake Kantata, its
 *     HEALTHCHECK command is run until it passes, /readyz must say 200, and SIGTERM must end it with 0.
 * Not emulated, and said so at the end: the base image (the local Node runs instead), USER and --chown
 * (everything runs as the current user), VOLUME, EXPOSE and Docker's health-check scheduler.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeKantata } from '../test/fakes/fake-kantata/index.js';
import { startFakeSlack } from '../test/fakes/fake-slack/index.js';
import { freePort, httpStatus } from '../test/fakes/http.js';
import { dockerignoreFilter, execForm, type Instruction, parseDockerfile, parseEnv } from './dockerfile.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

type Stage = { name: string; root: string; workdir: string; env: Record<string, string> };
type Final = { stage: Stage; cmd: string[]; healthcheck: string[]; user?: string; volumes: string[] };

const log = (message: string) => process.stdout.write(`container:check: ${message}\n`);

/** What `docker build` would send: committed and untracked files, minus ignored ones and .dockerignore. */
function buildContext(into: string): number {
  const ignore = dockerignoreFilter(readFileSync(join(REPO, '.dockerignore'), 'utf8'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(REPO, file)) && ignore(file));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(REPO, file), join(into, file));
  }
  return files.length;
}

/** A path inside a stage: absolute ones under the stage's root, relative ones under its WORKDIR. */
function inStage(stage: Stage, path: string): string {
  return isAbsolute(path) ? join(stage.root, path) : join(stage.root, stage.workdir, path);
}

function copy(from: string, to: string, intoDir: boolean): void {
  const target = intoDir && !statSync(from).isDirectory() ? join(to, from.split('/').pop()!) : to;
  mkdirSync(intoDir ? to : dirname(to), { recursive: true });
  cpSync(from, target, { recursive: true, verbatimSymlinks: true });
}

function runStages(instructions: Instruction[], context: string, work: string): Final {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  const final: Partial<Final> & { volumes: string[] } = { volumes: [] };
  for (const { keyword, args, line } of instructions) {
    const where = `Dockerfile:${line} ${keyword}`;
    if (keyword === 'ARG') continue;
    if (keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.size}`;
      stage = { name, root: join(work, name), workdir: '/', env: {} };
      mkdirSync(stage.root, { recursive: true });
      stages.set(name, stage);
      Object.assign(final, { volumes: [], user: undefined });
      log(`${where} ${args} (the local Node ${process.version} stands in for the image)`);
      continue;
    }
    if (!stage) throw new Error(`${where}: before any FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = resolve(stage.workdir, args);
        mkdirSync(join(stage.root, stage.workdir), { recursive: true });
        break;
      case 'ENV':
        Object.assign(stage.env, parseEnv(args));
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const fromStage = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop()!;
        const sourceRoot = fromStage ? stages.get(fromStage)?.root : context;
        if (!sourceRoot) throw new Error(`${where}: no stage ${fromStage}`);
        const intoDir = dest.endsWith('/') || paths.length > 1;
        for (const source of paths) {
          const from = fromStage ? join(sourceRoot, source) : join(sourceRoot, source);
          if (!existsSync(from))
            throw new Error(`${where}: ${source} is not in the ${fromStage ?? 'build context'}`);
          copy(from, inStage(stage, dest), intoDir);
        }
        break;
      }
      case 'RUN': {
        log(`${where} ${args}`);
        const result = spawnSync('sh', ['-c', args], {
          cwd: join(stage.root, stage.workdir),
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...stage.env },
          stdio: 'inherit',
        });
        if (result.status !== 0) throw new Error(`${where} failed with exit code ${result.status}`);
        break;
      }
      case 'CMD':
        final.cmd = execForm(args);
        break;
      case 'HEALTHCHECK':
        final.healthcheck = execForm(args.slice(args.indexOf('CMD') + 'CMD'.length).trim());
        break;
      case 'USER':
        final.user = args;
        break;
      case 'VOLUME':
        final.volumes.push(...execForm(args));
        break;
      case 'EXPOSE':
      case 'STOPSIGNAL':
        break;
      default:
        throw new Error(`${where}: not understood by this check; teach scripts/container-check.ts`);
    }
  }
  if (!stage || !final.cmd || !final.healthcheck)
    throw new Error('the Dockerfile needs a final stage with CMD and HEALTHCHECK');
  return { ...final, stage, cmd: final.cmd, healthcheck: final.healthcheck };
}

function exitOf(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveExit({ code, signal });
    });
  });
}

/** The final stage's CMD against the fakes: HEALTHCHECK until it passes, /readyz, then SIGTERM. */
async function startFinal(final: Final): Promise<void> {
  const kantata = await startFakeKantata();
  const slack = await startFakeSlack({ botToken: 'xoxb-container-check-token' });
  const port = await freePort();
  const { stage } = final;
  const storeUrl = stage.env.STORE_URL ?? '';
  // The image's absolute paths (file:/app/data/…) live under the stage's folder here.
  const env = {
    PATH: process.env.PATH ?? '',
    ...stage.env,
    ...(storeUrl.startsWith('file:/')
      ? { STORE_URL: `file:${join(stage.root, storeUrl.slice('file:'.length))}` }
      : {}),
    NODE_COMPILE_CACHE: join(stage.root, 'tmp', 'node-compile-cache'),
    PORT: String(port),
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'container-check-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    KANTATA_API_TOKEN: kantata.token,
    KANTATA_BASE_URL: kantata.url,
    NOTIFY_CHANNEL_ID: 'C0CONTAINER',
  };
  const [command, ...args] = final.cmd;
  log(`CMD ${final.cmd.join(' ')} (PORT=${port}, against the fake Slack and Kantata)`);
  const bot = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: join(stage.root, stage.workdir),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const deadline = Date.now() + 30_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline && bot.exitCode === null) {
      const [hc, ...hcArgs] = final.healthcheck;
      healthy =
        spawnSync(hc === 'node' ? process.execPath : hc!, hcArgs, { env, timeout: 5_000 }).status === 0;
      if (!healthy) await sleep(200);
    }
    if (!healthy) throw new Error('HEALTHCHECK never passed within 30 s');
    log('HEALTHCHECK passed (/healthz 200)');
    const ready = await httpStatus(`http://127.0.0.1:${port}/readyz`);
    if (ready !== 200) throw new Error(`/readyz answered ${ready}`);
    log('/readyz 200');
    bot.kill('SIGTERM');
    const exit = await exitOf(bot, 40_000);
    if (exit.code !== 0) throw new Error(`SIGTERM ended the bot with ${JSON.stringify(exit)}`);
    log('SIGTERM: drained and exited with code 0');
  } finally {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await Promise.all([kantata.close(), slack.close()]);
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'container-check-'));
  const keep = process.argv.includes('--keep');
  try {
    const context = join(work, 'context');
    log(`build context: ${buildContext(context)} files (clean copy, .dockerignore applied) in ${context}`);
    const final = runStages(parseDockerfile(readFileSync(join(REPO, 'Dockerfile'), 'utf8')), context, work);
    const runtime = join(final.stage.root, final.stage.workdir);
    // npm prune leaves empty scope folders behind; a package is there when its package.json is.
    for (const dev of ['typescript', 'tsx', 'vitest', '@biomejs/biome', 'esbuild']) {
      if (existsSync(join(runtime, 'node_modules', dev, 'package.json'))) {
        throw new Error(`the runtime stage still holds the dev dependency ${dev}`);
      }
    }
    if (existsSync(join(runtime, 'src'))) throw new Error('the runtime stage holds the TypeScript sources');
    log('runtime stage: production dependencies and dist/ only');
    await startFinal(final);
    log(
      `OK. Not run here: pulling the base image (the local Node ran instead), USER ${final.user ?? '(none)'} and ` +
        `--chown (all ran as the current user), VOLUME ${final.volumes.join(' ')}, EXPOSE, Docker's health-check ` +
        'schedule, and compose.yaml (checked as YAML by test/unit/container/container-files.test.ts).',
    );
  } finally {
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`container:check FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
