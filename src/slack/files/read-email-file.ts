import { emailKey } from '../../membership/text.js';
import { isEmailAddress } from '../grammar/email.js';
import { formatCount } from '../text/format-count.js';
import { truncateText } from '../text/truncate-text.js';

/** Slack's own limit for a file in a modal's file_input (reference slack-platform.md §3). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type EmailFile = { ok: true; emails: string[] } | { ok: false; problem: string };

/**
 * The emails in an uploaded `.csv` or `.txt` (SPEC §4.7): the column named `email` (any case, surrounding
 * spaces ignored) when the first row has one, else every cell that is an email address. A UTF-8 byte order
 * mark and CRLF line ends are fine. Refused with a sentence naming the line or the limit: a file that is not
 * text, is over `MAX_FILE_BYTES`, holds more than `maxPeople` distinct emails, holds none, or whose email
 * column has something that is not an email.
 *
 * A small CSV reader of our own rather than a dependency: what is needed is RFC 4180 fields (quotes, doubled
 * quotes, separators and line breaks inside quotes), commas or semicolons (spreadsheets in some locales)
 * or tabs, in one linear pass.
 */
export function readEmailFile(bytes: Uint8Array, maxPeople: number): EmailFile {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return { ok: false, problem: `The file is ${megabytes(bytes.byteLength)}; the limit is 10 MB.` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return {
      ok: false,
      problem: 'The file is not text: save it as CSV (UTF-8) or plain text and try again.',
    };
  }
  if (text.includes('\u0000')) {
    return {
      ok: false,
      problem: 'The file is not text: save it as CSV (UTF-8) or plain text and try again.',
    };
  }
  const rows = parseRows(text);
  const header = rows[0]?.cells ?? [];
  const column = header.findIndex((cell) => cell.trim().toLowerCase() === 'email');
  const seen = new Set<string>();
  const emails: string[] = [];
  const take = (value: string): void => {
    const key = emailKey(value);
    if (seen.has(key)) return;
    seen.add(key);
    emails.push(value.trim());
  };
  for (const row of column >= 0 ? rows.slice(1) : rows) {
    if (column >= 0) {
      const cell = (row.cells[column] ?? '').trim().replace(/^mailto:/i, '');
      if (cell === '') continue;
      if (!isEmailAddress(cell)) {
        return {
          ok: false,
          problem: `Line ${formatCount(row.line)}: ${shown(cell)} in the email column is not an email address.`,
        };
      }
      take(cell);
    } else {
      for (const raw of row.cells) {
        const cell = raw.trim().replace(/^mailto:/i, '');
        if (cell !== '' && isEmailAddress(cell)) take(cell);
      }
    }
    if (emails.length > maxPeople) {
      return {
        ok: false,
        problem:
          `The file names more than ${formatCount(maxPeople)} people (line ${formatCount(row.line)}); ` +
          `one change can include at most ${formatCount(maxPeople)}. Split the file.`,
      };
    }
  }
  if (emails.length === 0) {
    return {
      ok: false,
      problem:
        column >= 0
          ? 'The file has an email column, but no email address in it.'
          : 'The file holds no email address. Put them in a column named `email`, or one per line.',
    };
  }
  return { ok: true, emails };
}

type Row = { line: number; cells: string[] };

/** Rows of fields with the line each starts on (1-based), in one pass; a blank line is no row. */
function parseRows(input: string): Row[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const separator = guessSeparator(text);
  const rows: Row[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(field);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === separator) {
      cells.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else field += c;
  }
  endRow();
  return rows;
}

/** The separator of the first line: a comma unless that line has more semicolons or tabs. */
function guessSeparator(text: string): string {
  const end = text.search(/\r|\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const count = (s: string) => first.split(s).length - 1;
  const best = [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0];
  return best && count(best) > 0 ? best : ',';
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function shown(text: string): string {
  return `“${truncateText(text.replace(/\s+/g, ' '), 60)}”`;
}
