/**
 * The process-level guards of src/main.ts, in a child process of their own (signals and uncaught errors
 * must not touch the test runner): an error escaping its request is logged with a reference id and the
 * process goes on; a stop that never finishes is ended once SHUTDOWN_TIMEOUT (+ the backstop margin) passes.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const GUARDS = pathToFileURL(fileURLToPath(new URL('../../../src/process-guards.ts', import.meta.url))).href;
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function run(script: string) {
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  return new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
    const started = Date.now();
    child.once('exit', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

const logger = `const log = (level) => (msg, f = {}) => console.log(JSON.stringify({ level, msg, ...f, error: f.error ? String(f.error) : undefined }));
const logger = { info: log('info'), warn: log('warn'), error: log('error') };`;

describe('process guards', { timeout: 30_000 }, () => {
  it('logs an error that escaped its request with a reference id, and keeps running', async () => {
    const result = await run(`
      import { installErrorNet } from '${GUARDS}';
      ${logger}
      installErrorNet(logger);
      setTimeout(() => { throw new Error('thrown outside any handler'); }, 10);
      setTimeout(() => Promise.reject(new Error('rejected outside any handler')), 20);
      setTimeout(() => { console.log('still running'); process.exit(0); }, 300);
    `);
    expect(result.code).toBe(0);
    const lines = result.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.error)).toEqual([
      'Error: thrown outside any handler',
      'Error: rejected outside any handler',
    ]);
    for (const l of lines) expect(l.refId).toMatch(/^[0-9A-F]{8}$/);
    expect(result.out).toContain('still running');
  });

  it('exits once SHUTDOWN_TIMEOUT has passed when the drain never ends, ignoring signals meanwhile', async () => {
    const result = await run(
      `
      import { installStopSignals } from '${GUARDS}';
      ${logger}
      const signals = installStopSignals({ logger, timeoutMs: 200, stop: () => new Promise(() => {}) });
      signals.ready();
      setInterval(() => {}, 1000);
      // The signals come from the script itself, once the guards are installed (a slow start cannot race them).
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.kill(process.pid, 'SIGTERM'), 100);
      setTimeout(() => process.kill(process.pid, 'SIGINT'), 200);
    `,
    );
    expect(result.code).toBe(1);
    expect(result.out.match(/stop signal ignored/g)).toHaveLength(2);
    expect(result.out).toContain('stop did not finish within SHUTDOWN_TIMEOUT');
    expect(result.ms).toBeGreaterThan(5_000);
  });
});
