import { existsSync } from 'node:fs';
import { runAuditExport } from './run-audit-export.js';

/**
 * `npm run audit:export -- --format csv|jsonl [--since <ISO date>]` (SPEC §4.5). Needs only STORE_URL
 * (from the environment or `.env`), not the Slack or Kantata settings, so that it runs anywhere the store
 * can be reached.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.exitCode = await runAuditExport({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

void main();
