import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeResponse } from './format.js';
import type { Misbehaviour } from './misbehaviour.js';
import { handleCall } from './routes.js';
import type { FakeState } from './state.js';

export const API_PREFIX = '/api/v1';

export type RecordedRequest = {
  method: string;
  /** Path relative to the API base, without `.json`: `/user_group_memberships/900001`. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** HTTP status sent; 0 while unanswered, and for hangs and resets. */
  status: number;
  /** `Date.now()` when the request arrived (after its body was read). */
  at: number;
};

export type ServerSettings = {
  token: string;
  latencyMs: number;
  state: FakeState;
  misbehaviour: Misbehaviour;
  refusedUsers: Map<string, string>;
  requests: RecordedRequest[];
  inFlight: { now: number; max: number };
};

/** Starts the HTTP server on 127.0.0.1 and an ephemeral port. */
export async function listen(settings: ServerSettings): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    serve(settings, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, { status: 500, body: { errors: [{ type: 'system', message: String(error) }] } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}${API_PREFIX}` };
}

async function serve(settings: ServerSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  settings.inFlight.now += 1;
  settings.inFlight.max = Math.max(settings.inFlight.max, settings.inFlight.now);
  res.on('close', () => {
    settings.inFlight.now -= 1;
  });

  const text = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://fake-kantata');
  const method = (req.method ?? 'GET').toUpperCase();
  const query = Object.fromEntries(url.searchParams);
  const { body, bodyIsJson } = parseBody(text);
  const path = url.pathname.startsWith(API_PREFIX)
    ? url.pathname.slice(API_PREFIX.length).replace(/\.json$/, '') || '/'
    : url.pathname;
  const record: RecordedRequest = {
    method,
    path,
    query,
    ...(text === '' ? {} : { body }),
    status: 0,
    at: Date.now(),
  };
  settings.requests.push(record);

  if (settings.latencyMs > 0) await sleep(settings.latencyMs);

  const action = settings.misbehaviour.actionFor(method, path);
  if (action === 'hang') return;
  if (action === 'reset') {
    req.socket.destroy();
    return;
  }
  if (typeof action === 'object') {
    record.status = action.status;
    send(res, action);
    return;
  }

  const response = url.pathname.startsWith(API_PREFIX)
    ? handleCall({
        method,
        path,
        query,
        body,
        bodyIsJson,
        authorization: req.headers.authorization,
        token: settings.token,
        state: settings.state,
        refusedUsers: settings.refusedUsers,
      })
    : { status: 404, body: { errors: [{ type: 'system', message: `Not under ${API_PREFIX}` }] } };

  if (action === 'hang_after_apply') return;
  if (action === 'reset_after_apply') {
    req.socket.destroy();
    return;
  }
  record.status = response.status;
  send(res, response);
}

function send(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined && response.status !== 204) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    headers['content-type'] ??=
      typeof response.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, { ...headers, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): { body: unknown; bodyIsJson: boolean } {
  if (text === '') return { body: undefined, bodyIsJson: false };
  try {
    return { body: JSON.parse(text) as unknown, bodyIsJson: true };
  } catch {
    return { body: text, bodyIsJson: false };
  }
}
