import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdSource } from './workspace.js';

/** A file someone uploaded in a modal's file_input. */
export type FakeSlackFile = { id: string; name: string; mimetype: string; filetype: string; bytes: Buffer };

/**
 * Uploaded files, as Slack serves them: `files.info` (bot token, `files:read`) describes one, and its
 * `url_private_download` answers only with the bot token in `Authorization`; without it Slack redirects to
 * its sign-in page (HTML, not the file), which is what a bot that forgets the token downloads.
 */
export class FileStore {
  readonly files = new Map<string, FakeSlackFile>();
  /** Downloads that fail with HTTP 500 before one succeeds again. */
  failingDownloads = 0;

  constructor(
    private readonly ids: IdSource,
    private readonly base: () => string,
    private readonly botToken: string,
  ) {}

  add(f: { name: string; content: string | Uint8Array; mimetype?: string }): FakeSlackFile {
    const filetype = f.name.includes('.') ? (f.name.split('.').pop() ?? 'text') : 'text';
    const file: FakeSlackFile = {
      id: this.ids.next('F'),
      name: f.name,
      mimetype: f.mimetype ?? (filetype === 'csv' ? 'text/csv' : 'text/plain'),
      filetype,
      bytes: Buffer.from(f.content),
    };
    this.files.set(file.id, file);
    return file;
  }

  downloadUrl(file: FakeSlackFile): string {
    return `${this.base()}/files-pri/T0FAKETEAM-${file.id}/download/${encodeURIComponent(file.name)}`;
  }

  /** The file object of files.info and of view_submission payloads. */
  json(file: FakeSlackFile): Record<string, unknown> {
    return {
      id: file.id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.filetype,
      size: file.bytes.byteLength,
      url_private: this.downloadUrl(file).replace('/download/', '/'),
      url_private_download: this.downloadUrl(file),
    };
  }

  /** GET /files-pri/…: the bytes, with the bot token only. */
  serve(req: IncomingMessage, res: ServerResponse, fileId: string): void {
    req.resume();
    const file = this.files.get(fileId);
    if (req.headers.authorization !== `Bearer ${this.botToken}`) {
      res.writeHead(302, { location: `${this.base()}/signin`, 'content-type': 'text/html' });
      res.end('<html><body>Sign in to Slack</body></html>');
      return;
    }
    if (this.failingDownloads > 0) {
      this.failingDownloads -= 1;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('file not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.byteLength });
    res.end(file.bytes);
  }
}
