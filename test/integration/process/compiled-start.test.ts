/**
 * `npm install && npm start` as a fresh clone meets it: `prepare` compiles the sources to dist/, and the
 * start script runs the compiled bot as ONE process (no loader, no child processes), which answers
 * /healthz and /readyz and stops with exit code 0 on SIGTERM; the compiled audit CLI runs too.
 *
 * The clone is a copy of every file git would commit (tracked and untracked, ignored ones left out) with
 * node_modules linked from this checkout, since installing from the registry would take minutes; the
 * build is the `prepare` script npm runs at the end of `npm install`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BOT_SLACK_TOKEN,
  botEnv,
  killBotProcesses,
  sendGroupsCommand,
  startBotProcess,
} from '../../fakes/bot-process.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.js';
import { childrenOf } from '../../fakes/proc.js';

const exec = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Copies what a clone would hold: `git ls-files` of tracked and untracked, not ignored, files. */
function cloneWorkingTree(into: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(REPO, file)));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(REPO, file), join(into, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(into, 'node_modules'), 'dir');
}

describe('the compiled start from a clean clone', { timeout: 180_000 }, () => {
  let clone: string;
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let startArgs: string[];

  beforeAll(async () => {
    clone = mkdtempSync(join(tmpdir(), 'compiled-clone-'));
    cloneWorkingTree(clone);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    await exec('npm', ['run', 'prepare', '--silent'], { cwd: clone, timeout: 170_000 });
    [kantata, slack] = await Promise.all([startFakeKantata(), startFakeSlack({ botToken: BOT_SLACK_TOKEN })]);
    const scripts = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const [shellExec, command, ...args] = scripts.start!.split(/\s+/);
    // `exec`: npm's shell gives way to node, so the signals npm forwards reach the bot itself.
    expect([shellExec, command]).toEqual(['exec', 'node']);
    // Absolute: the bot runs in a temporary working directory of its own.
    startArgs = args.map((arg) => (arg.startsWith('dist/') ? join(clone, arg) : arg));
  }, 180_000);

  afterEach(async () => {
    await killBotProcesses();
  });

  afterAll(async () => {
    await Promise.all([kantata?.close(), slack?.close()]);
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('builds dist/ with `prepare`, and dist/ is ignored by git', () => {
    expect(existsSync(join(clone, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(clone, 'dist', 'cli', 'audit-export.js'))).toBe(true);
    expect(
      execFileSync('git', ['check-ignore', 'dist/main.js'], { cwd: REPO, encoding: 'utf8' }).trim(),
    ).toBe('dist/main.js');
    // The bot's own code bundled (scripts/bundle.ts), its source map pointing into src/; packages are left
    // to node_modules, and pg to a chunk of its own that only a PostgreSQL store loads.
    const map = JSON.parse(readFileSync(join(clone, 'dist', 'main.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../src/start-bot.ts');
    expect(map.sources.filter((source) => source.includes('node_modules'))).toEqual([]);
    expect(readFileSync(join(clone, 'dist', 'main.js'), 'utf8')).not.toMatch(/from "pg"/);
  });

  it("a refused start's error names the TypeScript sources (source maps), and exits 1", async () => {
    const viewer = kantata.addUser({ email: 'vic.viewer@example.com', name: 'Vic Viewer', admin: false });
    kantata.setTokenOwner(viewer.id);
    try {
      const env = botEnv({ slack, kantata, storeUrl: `file:${join(clone, 'data', 'refused.json')}` });
      const failed = await exec(process.execPath, startArgs, {
        cwd: clone,
        env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', HOST: '127.0.0.1' },
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(1);
      const record = (failed?.stderr ?? '')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; error?: { stack?: string } })
        .find((r) => r.msg === 'start failed');
      expect(record?.error?.stack).toContain(join(clone, 'src', 'membership', 'membership-service.ts'));
    } finally {
      kantata.setTokenOwner(kantata.ownerId);
    }
  });

  it('npm start runs node dist/main.js as one process: healthy, ready, and SIGTERM drains and exits 0', async () => {
    expect(startArgs.at(-1)).toBe(join(clone, 'dist', 'main.js'));
    const storeFile = join(clone, 'data', 'store.json');
    const bot = await startBotProcess({
      env: botEnv({ slack, kantata, storeUrl: `file:${storeFile}` }),
      nodeArgs: startArgs,
    });

    expect(childrenOf(bot.pid)).toEqual([]);
    expect(await bot.get('/healthz')).toEqual({ status: 200, json: { ok: true } });
    expect(await bot.get('/readyz')).toMatchObject({ status: 200, json: { ready: true } });
    expect(bot.logs().find((r) => r.msg === 'Kantata Groups for Slack is running')).toMatchObject({
      port: bot.port,
    });

    // A command still waiting for Kantata when SIGTERM comes is finished before the exit.
    const admin = kantata.addUser({ email: 'ada.compiled@example.com', name: 'Ada Compiled', admin: true });
    const slackAdmin = slack.addUser({ name: 'ada', realName: 'Ada Compiled', email: admin.email });
    kantata.addGroup('Compiled Team');
    kantata.setLatency(700);
    const responseUrl = slack.responseUrl();
    const ack = await sendGroupsCommand(bot, slack, {
      userId: slackAdmin.id,
      text: 'list Compiled',
      responseUrl,
    });
    expect(ack.status).toBe(200);
    bot.kill('SIGTERM');
    expect(await bot.waitForExit(30_000)).toEqual({ code: 0, signal: null });
    kantata.setLatency(0);
    expect(JSON.stringify(slack.responses.filter((r) => r.url === responseUrl).at(-1)?.body)).toContain(
      'Compiled Team',
    );
    expect(bot.logs().some((r) => r.msg === 'stopping' && r.signal === 'SIGTERM')).toBe(true);

    // The compiled audit CLI reads the store the bot left (npm run audit:export).
    const scripts = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts['audit:export']).toMatch(/^exec node .*dist\/cli\/audit-export\.js$/);
    const { stdout } = await exec(
      process.execPath,
      [join(clone, 'dist', 'cli', 'audit-export.js'), '--format', 'csv'],
      {
        cwd: clone,
        env: { PATH: process.env.PATH ?? '', STORE_URL: `file:${storeFile}` },
      },
    );
    expect(stdout.split('\r\n')[0]).toMatch(/^id,at,event,/);
  });

  it("under `npm start` the bot is npm's only child, and the SIGTERM npm gets reaches it: drained, then both exit", async () => {
    const env = botEnv({ slack, kantata, storeUrl: `file:${join(clone, 'data', 'npm-start.json')}` });
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: clone,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    npm.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    try {
      await vi.waitFor(() => expect(stderr).toContain('Kantata Groups for Slack is running'), {
        timeout: 60_000,
        interval: 50,
      });
      const [bot, ...others] = childrenOf(npm.pid!);
      expect(others).toEqual([]);
      expect(readFileSync(`/proc/${bot}/cmdline`, 'utf8').split('\0')).toEqual([
        'node',
        '--enable-source-maps',
        '--max-semi-space-size=4',
        'dist/main.js',
        '',
      ]);
      expect(childrenOf(bot!)).toEqual([]);

      npm.kill('SIGTERM');
      await exited;
      expect(stderr).toMatch(/"msg":"stopping","signal":"SIGTERM"/);
      // npm waited for the bot: nothing is left running once npm is gone.
      expect(existsSync(`/proc/${bot}`)).toBe(false);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  });
});
