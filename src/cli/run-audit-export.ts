import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AuditEntry } from '../approvals/types.js';
import { AUDIT_EXPORT_USAGE, type ExportFormat, parseExportArgs } from './audit-export-args.js';
import { auditCsvHeader, auditCsvRecords, auditJsonLine } from './audit-rows.js';
import { openAuditSource } from './audit-source.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const DEFAULT_STORE_URL = 'file:./data/store.json';

export type AuditExportIo = {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
};

/**
 * `npm run audit:export -- --format csv|jsonl [--since <ISO date>] [--raw]`: streams the audit log to standard
 * output, one entry at a time (a long log never sits in memory as text). Returns the exit code: 0, 1 when
 * the store cannot be read, 2 for bad arguments (with the usage on standard error).
 */
export async function runAuditExport(io: AuditExportIo): Promise<number> {
  const args = parseExportArgs(io.argv);
  if (args.kind === 'help') {
    io.stdout.write(`${AUDIT_EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.kind === 'invalid') {
    io.stderr.write(`${args.problem}\n\n${AUDIT_EXPORT_USAGE}\n`);
    return EXIT_USAGE;
  }
  const storeUrl = io.env.STORE_URL?.trim() || DEFAULT_STORE_URL;
  let source: Awaited<ReturnType<typeof openAuditSource>>;
  try {
    source = await openAuditSource(storeUrl, io.cwd);
  } catch (error) {
    io.stderr.write(`Cannot read the audit log: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
  if (source.note) io.stderr.write(`${source.note}\n`);
  try {
    await writeEntries(io.stdout, args, source.entries(args.since));
    return EXIT_OK;
  } catch (error) {
    // The reader went away (`| head`): what it wanted was written.
    if (isBrokenPipe(error)) return EXIT_OK;
    io.stderr.write(`The export stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await source.close().catch(() => undefined);
  }
}

async function writeEntries(
  out: Writable,
  { format, raw }: { format: ExportFormat; raw: boolean },
  entries: AsyncIterable<AuditEntry>,
) {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure = error;
  };
  out.on('error', onError);
  try {
    const write = async (chunk: string) => {
      if (failure) throw failure;
      // Honour back-pressure: wait for the reader instead of buffering the whole log.
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      if (failure) throw failure;
    };
    if (format === 'csv') await write(auditCsvHeader());
    for await (const entry of entries)
      await write(format === 'csv' ? auditCsvRecords(entry, { raw }) : auditJsonLine(entry));
  } finally {
    out.off('error', onError);
  }
}

function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPIPE';
}
