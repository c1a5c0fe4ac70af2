import type { IncomingMessage, ServerResponse } from 'node:http';

/** Fields WebClient JSON-stringifies inside a form body; parsed back so tests see objects. */
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type ParsedCall =
  | { ok: true; args: Record<string, unknown>; token?: string }
  | { ok: false; error: string };

/**
 * Web API arguments from a form body (what WebClient sends), a JSON body or the query string.
 * The token comes from `Authorization: Bearer …` or a `token` argument and is never kept in `args`.
 */
export function parseCall(req: IncomingMessage, raw: string, url: URL): ParsedCall {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw !== '') {
    if (type === 'application/json') {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return { ok: false, error: 'invalid_json' };
        Object.assign(args, parsed);
      } catch {
        return { ok: false, error: 'invalid_json' };
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) args[key] = value;
    }
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as a string: Slack then answers invalid_blocks_format / invalid_arguments.
    }
  }
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return token === undefined ? { ok: true, args } : { ok: true, args, token };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
