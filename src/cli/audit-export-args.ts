export type ExportFormat = 'csv' | 'jsonl';

export type ExportArgs =
  | { kind: 'export'; format: ExportFormat; since?: string; raw: boolean }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: string };

export const AUDIT_EXPORT_USAGE = [
  'Usage: npm run audit:export -- --format csv|jsonl [--since <ISO date>] [--raw]',
  '',
  'Writes the audit log to standard output, oldest entry first.',
  '  --format csv     one row per person outcome (RFC 4180, UTF-8, CRLF line ends)',
  '  --format jsonl   one JSON object per audit entry, one per line',
  '  --since <date>   only entries at or after this date, e.g. 2026-01-31 or 2026-01-31T09:00:00Z',
  '  --raw            CSV: write values exactly; by default a value starting with = + - @ tab or CR gets a',
  "                   leading ' so that a spreadsheet shows it as text instead of running it as a formula",
  '                   (JSON lines are always exact)',
  '',
  'Reads STORE_URL (from the environment or .env; default file:./data/store.json).',
  'Example: npm run audit:export -- --format csv --since 2026-01-01 > audit.csv',
].join('\n');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses the command line (after `--`): `--format csv|jsonl` (required), `--since <ISO date>`, `--raw`. */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  let format: string | undefined;
  let since: string | undefined;
  let raw = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--raw') {
      raw = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    if (name !== '--format' && name !== '--since')
      return { kind: 'invalid', problem: `Unknown argument "${arg}".` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      return { kind: 'invalid', problem: `${name} needs a value.` };
    }
    if (name === '--format') {
      if (format !== undefined) return { kind: 'invalid', problem: '--format is given twice.' };
      format = value;
    } else {
      if (since !== undefined) return { kind: 'invalid', problem: '--since is given twice.' };
      since = value;
    }
  }
  if (format === undefined) return { kind: 'invalid', problem: '--format is required.' };
  if (format !== 'csv' && format !== 'jsonl') {
    return { kind: 'invalid', problem: `--format must be csv or jsonl, not "${format}".` };
  }
  if (since !== undefined && !isIsoDate(since)) {
    return { kind: 'invalid', problem: `--since must be an ISO date such as 2026-01-31, not "${since}".` };
  }
  return {
    kind: 'export',
    format,
    raw,
    ...(since === undefined ? {} : { since: new Date(since).toISOString() }),
  };
}

/** An ISO 8601 date or date-time that names a real day (V8 would read 2026-02-30 as March 2nd). */
function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
