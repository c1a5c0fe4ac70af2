import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, ChangeAuditEntry } from '../../../src/approvals/types.js';
import { AUDIT_CSV_COLUMNS } from '../../../src/cli/audit-rows.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runAuditExport } from '../../../src/cli/run-audit-export.js';
import { openFileStore } from '../../../src/store/lowdb/file-store.js';
import { parseCsv } from './rfc4180.js';

const AWKWARD_REASON = 'Team "Blue", phase 2\nsecond line, with a comma\r\nand a "quote"';

function entries(): AuditEntry[] {
  return [
    {
      id: 'a1',
      at: '2026-01-10T09:00:00.000Z',
      event: 'requested',
      actor: { slackUserId: 'U1', kantataUserId: '11', name: 'Zoë, "the requester"' },
      action: 'add',
      groupId: '7',
      groupName: 'Дизайн, 設計 & "Design"',
      outcomes: [],
      reason: AWKWARD_REASON,
      changeId: 'c1',
      requestId: 'c1',
    },
    {
      id: 'a2',
      at: '2026-02-01T12:30:00.000Z',
      event: 'partially_applied',
      actor: { slackUserId: 'U1', kantataUserId: '11', name: 'Zoë, "the requester"' },
      approver: { slackUserId: 'U2', kantataUserId: '22', name: 'محمد' },
      action: 'add',
      groupId: '7',
      groupName: 'Дизайн, 設計 & "Design"',
      outcomes: [
        { userId: '100', name: '山田 太郎', email: 'taro@example.jp', outcome: 'added' },
        { userId: '101', name: "O'Brien, Seán", email: 'sean@example.ie', outcome: 'already_member' },
        {
          userId: '102',
          name: 'Émile 🎉',
          email: 'emile@example.fr',
          outcome: 'failed',
          reason: 'Kantata said: "user is disabled",\nplease check',
        },
      ],
      reason: AWKWARD_REASON,
      changeId: 'c1',
      requestId: 'c1',
    },
  ];
}

let dir: string;
let storeUrl: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
  storeUrl = `file:${join(dir, 'store.json')}`;
  const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
  for (const entry of entries()) await store.appendAudit(entry);
  await store.close();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string | undefined> = { STORE_URL: storeUrl }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runAuditExport({ argv, env, cwd: dir, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('audit export: CSV', () => {
  it('writes one RFC 4180 row per person outcome, every awkward value intact', async () => {
    const { code, stdout } = await run(['--format', 'csv']);
    expect(code).toBe(EXIT_OK);
    const [header, ...rows] = parseCsv(stdout);
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 3);
    const col = (row: string[], name: (typeof AUDIT_CSV_COLUMNS)[number]) =>
      row[AUDIT_CSV_COLUMNS.indexOf(name)];
    const [requested, added, already, failed] = rows as [string[], string[], string[], string[]];
    expect(col(requested, 'event')).toBe('requested');
    expect(col(requested, 'user_id')).toBe('');
    expect(col(requested, 'reason')).toBe(AWKWARD_REASON);
    expect(col(requested, 'actor_name')).toBe('Zoë, "the requester"');
    expect(col(requested, 'group_name')).toBe('Дизайн, 設計 & "Design"');
    expect(col(added, 'user_name')).toBe('山田 太郎');
    expect(col(added, 'approver_name')).toBe('محمد');
    expect(col(added, 'approver_slack_id')).toBe('U2');
    expect(col(added, 'outcome')).toBe('added');
    expect(col(already, 'user_name')).toBe("O'Brien, Seán");
    expect(col(failed, 'user_name')).toBe('Émile 🎉');
    expect(col(failed, 'outcome_reason')).toBe('Kantata said: "user is disabled",\nplease check');
    for (const row of rows.slice(1)) {
      expect(col(row, 'id')).toBe('a2');
      expect(col(row, 'request_id')).toBe('c1');
    }
  });

  it('--since keeps only entries at or after the date', async () => {
    const { code, stdout } = await run(['--format=csv', '--since', '2026-02-01']);
    expect(code).toBe(EXIT_OK);
    const rows = parseCsv(stdout).slice(1);
    expect(rows.every((r) => r[0] === 'a2')).toBe(true);
    expect(rows).toHaveLength(3);
  });

  it('writes a delivery given up as one row naming what was not posted, after how many attempts, and why', async () => {
    const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    const [requested] = entries() as [ChangeAuditEntry];
    await store.appendAudit({
      ...requested,
      id: 'g1',
      at: '2026-03-01T00:00:00.000Z',
      event: 'delivery_given_up',
      actor: { slackUserId: 'system:announcer', name: 'Announcer' },
      delivery: { delivery: 'decided:requester', attempts: 30, lastError: 'channel_not_found' },
    });
    await store.close();
    const { stdout } = await run(['--format', 'csv', '--since', '2026-03-01']);
    const pick = [
      'event',
      'change_id',
      'group_id',
      'delivery',
      'delivery_attempts',
      'delivery_error',
    ] as const;
    expect(
      parseCsv(stdout)
        .slice(1)
        .map((row) => pick.map((c) => row[AUDIT_CSV_COLUMNS.indexOf(c)])),
    ).toEqual([['delivery_given_up', 'c1', '7', 'decided:requester', '30', 'channel_not_found']]);
  });

  it('writes a link and an unlink as one row each: the Slack user, the Kantata user, no group or change', async () => {
    const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    const actor = { slackUserId: 'U2', kantataUserId: '22', name: 'Ada' };
    await store.appendAudit({
      id: 'l1',
      at: '2026-03-01T00:00:00.000Z',
      event: 'linked',
      actor,
      slackUserId: 'U9',
      kantataUserId: '100',
      kantataUserName: 'Nick, "N"',
      kantataUserEmail: 'nick@example.com',
    });
    await store.appendAudit({
      id: 'l2',
      at: '2026-03-02T00:00:00.000Z',
      event: 'unlinked',
      actor,
      slackUserId: 'U9',
      kantataUserId: '100',
    });
    await store.close();
    const { stdout } = await run(['--format', 'csv', '--since', '2026-03-01']);
    const pick = [
      'id',
      'event',
      'actor_slack_id',
      'actor_name',
      'group_id',
      'change_id',
      'user_id',
      'user_name',
      'user_email',
      'slack_user_id',
    ] as const;
    expect(
      parseCsv(stdout)
        .slice(1)
        .map((row) => pick.map((c) => row[AUDIT_CSV_COLUMNS.indexOf(c)])),
    ).toEqual([
      ['l1', 'linked', 'U2', 'Ada', '', '', '100', 'Nick, "N"', 'nick@example.com', 'U9'],
      ['l2', 'unlinked', 'U2', 'Ada', '', '', '100', '', '', 'U9'],
    ]);
  });
});

describe('audit export: formulas are defused unless --raw', () => {
  const DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    '+1+cmd|calc',
    '-2+3',
    '@SUM(A1)',
    '\tTab',
    '\rCR',
  ];
  const formulaEntry = (value: string, i: number): AuditEntry => ({
    id: `f${i}`,
    at: '2026-03-01T00:00:00.000Z',
    event: 'applied',
    actor: { slackUserId: 'U1', kantataUserId: '11', name: value },
    action: 'add',
    groupId: '9',
    groupName: value,
    outcomes: [{ userId: '100', name: value, email: 'p@example.com', outcome: 'failed', reason: value }],
    reason: value,
    changeId: `c${i}`,
  });
  const linkEntry = (value: string, i: number): AuditEntry => ({
    id: `l${i}`,
    at: '2026-03-02T00:00:00.000Z',
    event: 'linked',
    actor: { slackUserId: 'U1', kantataUserId: '11', name: value },
    slackUserId: 'U9',
    kantataUserId: '100',
    kantataUserName: value,
    kantataUserEmail: 'p@example.com',
  });
  const dangerousRows = async (argv: string[]) => {
    const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    for (const [i, value] of DANGEROUS.entries()) await store.appendAudit(formulaEntry(value, i));
    await store.close();
    const { code, stdout } = await run([...argv, '--since', '2026-03-01']);
    expect(code).toBe(EXIT_OK);
    return parseCsv(stdout).slice(1);
  };
  const textColumns = ['actor_name', 'group_name', 'user_name', 'outcome_reason', 'reason'] as const;

  it.each(DANGEROUS.map((value, i) => [JSON.stringify(value[0]), value, i] as const))(
    'a value starting with %s gets a leading apostrophe in every column',
    async (_first, value, i) => {
      const rows = await dangerousRows(['--format', 'csv']);
      const row = rows[i]!;
      for (const column of textColumns) expect(row[AUDIT_CSV_COLUMNS.indexOf(column)]).toBe(`'${value}`);
      // Safe values are untouched.
      expect(row[AUDIT_CSV_COLUMNS.indexOf('user_email')]).toBe('p@example.com');
      expect(row[AUDIT_CSV_COLUMNS.indexOf('event')]).toBe('applied');
    },
  );

  it('defuses the names of a link row too', async () => {
    const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    for (const [i, value] of DANGEROUS.entries()) await store.appendAudit(linkEntry(value, i));
    await store.close();
    const { stdout } = await run(['--format', 'csv', '--since', '2026-03-02']);
    const rows = parseCsv(stdout).slice(1);
    expect(rows).toHaveLength(DANGEROUS.length);
    for (const [i, value] of DANGEROUS.entries()) {
      for (const column of ['actor_name', 'user_name'] as const)
        expect(rows[i]![AUDIT_CSV_COLUMNS.indexOf(column)]).toBe(`'${value}`);
    }
  });

  it('--raw writes every value exactly', async () => {
    const rows = await dangerousRows(['--format', 'csv', '--raw']);
    expect(rows).toHaveLength(DANGEROUS.length);
    for (const [i, value] of DANGEROUS.entries()) {
      for (const column of textColumns) expect(rows[i]![AUDIT_CSV_COLUMNS.indexOf(column)]).toBe(value);
    }
  });

  it('JSON lines stay exact', async () => {
    const store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    await store.appendAudit(formulaEntry(DANGEROUS[0]!, 0));
    await store.close();
    const { stdout } = await run(['--format', 'jsonl', '--since', '2026-03-01']);
    expect(JSON.parse(stdout).groupName).toBe(DANGEROUS[0]);
  });
});

describe('audit export: JSON Lines', () => {
  it('writes one JSON object per entry that reads back equal', async () => {
    const { code, stdout } = await run(['--format', 'jsonl']);
    expect(code).toBe(EXIT_OK);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual(entries());
  });

  it('exports an empty log as nothing (and CSV as its header)', async () => {
    const empty = join(dir, 'empty.json');
    const store = await openFileStore(empty, { log: { warn: () => {} } });
    await store.close();
    expect((await run(['--format', 'jsonl'], { STORE_URL: `file:${empty}` })).stdout).toBe('');
    expect(parseCsv((await run(['--format', 'csv'], { STORE_URL: `file:${empty}` })).stdout)).toHaveLength(1);
  });
});

describe('audit export: arguments and failures', () => {
  it.each([
    [[]],
    [['--format']],
    [['--format', 'xml']],
    [['--format', 'csv', '--since', 'yesterday']],
    [['--format', 'csv', '--since', '2026-02-30']],
    [['--format', 'csv', '--format', 'jsonl']],
    [['--format', 'csv', '--verbose']],
    [['csv']],
  ])('%j is refused with the usage and exit code 2', async (argv) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: npm run audit:export -- --format csv|jsonl [--since <ISO date>]');
  });

  it('--help prints the usage and succeeds', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain('--format csv');
  });

  it('a store file that does not exist is an error, and is not created', async () => {
    const { code, stderr } = await run(['--format', 'csv'], { STORE_URL: `file:${join(dir, 'nope.json')}` });
    expect(code).toBe(EXIT_FAILED);
    expect(stderr).toContain('There is no store file');
  });

  it('reads a snapshot while the bot holds the store file', async () => {
    const held = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    try {
      const { code, stdout, stderr } = await run(['--format', 'jsonl']);
      expect(code).toBe(EXIT_OK);
      expect(stderr).toContain('snapshot');
      expect(stdout.trim().split('\n')).toHaveLength(2);
    } finally {
      await held.close();
    }
  });
});

describe('the npm script', () => {
  const exec = promisify(execFile);
  const script = resolve('src/cli/audit-export.ts');
  // What `tsx` (the npm script) does, with the loader named absolutely: the script runs in the temp dir.
  const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
  const runScript = (args: string[]) =>
    exec(process.execPath, ['--import', tsx, script, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', STORE_URL: storeUrl },
    });

  it('streams CSV to standard output with only STORE_URL set', async () => {
    const { stdout } = await runScript(['--format', 'csv']);
    expect(parseCsv(stdout)).toHaveLength(5);
  });

  it('exits with 2 on bad arguments', async () => {
    await expect(runScript(['--format', 'pdf'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--format must be csv or jsonl'),
    });
  });
});
