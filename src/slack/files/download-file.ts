import type { webApi } from '@slack/bolt';
import { slackErrorCode } from '../people/slack-people-error.js';
import { formatCount } from '../text/format-count.js';
import { MAX_FILE_BYTES } from './read-email-file.js';

export type DownloadedFile = { ok: true; name: string; bytes: Uint8Array } | { ok: false; problem: string };

/** Hosts the bot token may be sent to: Slack's own, and the configured API's (SLACK_API_URL, e.g. a fake). */
function mayCarryToken(url: URL, apiUrl: string | undefined): boolean {
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && (host === 'slack.com' || host.endsWith('.slack.com'))) return true;
  return apiUrl !== undefined && new URL(apiUrl).host === url.host;
}

/**
 * A file uploaded in the modal's file_input: `files.info` (scope `files:read`) for its download URL and
 * size, then the download with the bot token (Slack serves private files only so). Never more than
 * `MAX_FILE_BYTES` is read. Every failure comes back as a plain sentence for the modal, never a throw.
 */
export async function downloadSlackFile(
  deps: { client: Pick<webApi.WebClient, 'files'>; botToken: string; apiUrl?: string },
  fileId: string,
): Promise<DownloadedFile> {
  let info: Awaited<ReturnType<webApi.WebClient['files']['info']>>;
  try {
    info = await deps.client.files.info({ file: fileId });
  } catch (error) {
    const code = slackErrorCode(error);
    return {
      ok: false,
      problem: `Slack did not let the bot read the file${code ? ` (${code})` : ''}. Try again.`,
    };
  }
  const file = info.file;
  const name = file?.name ?? 'the file';
  if (typeof file?.size === 'number' && file.size > MAX_FILE_BYTES) {
    return { ok: false, problem: `The file is ${(file.size / 1048576).toFixed(1)} MB; the limit is 10 MB.` };
  }
  const link = file?.url_private_download ?? file?.url_private;
  if (!link) return { ok: false, problem: 'Slack gave no way to download the file. Try uploading it again.' };
  const url = new URL(link);
  if (!mayCarryToken(url, deps.apiUrl)) {
    return { ok: false, problem: 'The file is not stored by Slack, so the bot did not download it.' };
  }
  let res: Response;
  try {
    // No redirects: without the token Slack redirects to its sign-in page, which is not the file.
    res = await fetch(url, { headers: { authorization: `Bearer ${deps.botToken}` }, redirect: 'manual' });
  } catch {
    return {
      ok: false,
      problem: 'Slack did not answer when the bot downloaded the file. Try again in a minute.',
    };
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      problem: `Slack did not give the file to the bot (HTTP ${res.status}). Try again, or upload the file again.`,
    };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > MAX_FILE_BYTES) {
      await res.body.cancel().catch(() => undefined);
      return { ok: false, problem: `The file is over the limit of 10 MB (${formatCount(size)} bytes read).` };
    }
    chunks.push(chunk);
  }
  return { ok: true, name, bytes: Buffer.concat(chunks) };
}
