import type { webApi } from '@slack/bolt';
import { downloadSlackFile } from './download-file.js';
import { readEmailFile } from './read-email-file.js';

export type FileEmails = { ok: true; emails: string[]; names: string[] } | { ok: false; problem: string };

/** The emails of the files uploaded in the modal (at most one, `max_files: 1`): downloaded, then read. */
export async function emailsFromFiles(
  deps: { client: Pick<webApi.WebClient, 'files'>; botToken: string; apiUrl?: string; maxPeople: number },
  fileIds: readonly string[],
): Promise<FileEmails> {
  const emails: string[] = [];
  const names: string[] = [];
  for (const fileId of fileIds) {
    const file = await downloadSlackFile(deps, fileId);
    if (!file.ok) return file;
    const read = readEmailFile(file.bytes, deps.maxPeople);
    if (!read.ok) return { ok: false, problem: `${file.name}: ${read.problem}` };
    emails.push(...read.emails);
    names.push(file.name);
  }
  return { ok: true, emails, names };
}
