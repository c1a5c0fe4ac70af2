import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { runAuditExport } from '../../../src/cli/run-audit-export.js';
import type { TestBot } from '../harness.js';

/** What `npm run audit:export` prints for the bot's store, read while the bot runs. */
export async function exportAudit(h: TestBot, format: 'csv' | 'jsonl'): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await runAuditExport({
    argv: ['--format', format],
    env: { STORE_URL: `file:${h.storeFile}` },
    cwd: process.cwd(),
    stdout,
    stderr: new PassThrough(),
  });
  expect(code).toBe(0);
  return Buffer.concat(chunks).toString('utf8');
}
