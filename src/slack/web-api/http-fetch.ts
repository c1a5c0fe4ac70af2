import { afterAcks } from '../../util/acks-first.js';
import { Agent, request } from '../../util/undici-runtime.js';

/** Statuses whose response may not have a body (the Fetch standard's "null body status"). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

const agent = new Agent({ keepAliveTimeout: 30_000 });

/**
 * The `fetch` under every Slack call (Web API methods through the pacer, `respond()` to response_urls): the
 * same exchange as the global fetch, over undici's plain `request`. Node's fetch goes through web streams
 * and their abort plumbing for every call; measured on this machine it costs about 1.3–1.9 ms of CPU per
 * call against 0.5–0.75 ms here, and a busy bot makes a Slack call or two per command, all on the event
 * loop that also acknowledges the next commands. The answer is read whole (Slack's answers are small JSON)
 * and handed back as a standard `Response`, so callers see no difference. A body other than a string (a file
 * upload's form data) goes to the global fetch, which knows how to encode it.
 */
export const httpFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string') return fetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const answer = await request(url, {
    method: (init?.method ?? 'GET') as 'GET',
    headers: headersOf(init?.headers),
    ...(typeof body === 'string' ? { body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
    dispatcher: agent,
  });
  const text = await answer.body.text();
  // What the answer leads to waits for the acks of the requests that arrived meanwhile.
  await afterAcks();
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.append(name, value);
  }
  return new Response(NULL_BODY_STATUS.has(answer.statusCode) ? null : text, {
    status: answer.statusCode,
    headers,
  });
};

function headersOf(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
}
