import { createHmac } from 'node:crypto';
import { request } from 'node:http';

/**
 * Requests as Slack sends them to an app's Request URL: form-encoded, signed with the v0 scheme.
 * Content-Type is exactly `application/x-www-form-urlencoded` (Bolt's HTTPReceiver compares it with
 * `===`; a `; charset` suffix turns the body into a JSON parse and a 400), and the signature covers the
 * exact bytes sent.
 */

export type SignedRequestOptions = {
  /** Unix seconds for `x-slack-request-timestamp`; default now. `now - 301` is a replay Bolt refuses. */
  timestamp?: number;
  /** Sign with the wrong secret. */
  badSignature?: boolean;
  /** Adds `x-slack-retry-num` / `x-slack-retry-reason: http_timeout`, as Slack's retries carry. */
  retryNum?: number;
};

export type SignedResponse = {
  status: number;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: whatever the app answered (ack bodies, response_action)
  json?: any;
};

export type SlashCommandFields = {
  text: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  response_url: string;
  trigger_id: string;
  team_id?: string;
  team_domain?: string;
  /** Default `/groups`. */
  command?: string;
  api_app_id?: string;
};

export function signSlackBody(
  secret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

/** The form a slash command arrives as, fields in Slack's order. */
export function slashCommandForm(fields: SlashCommandFields): URLSearchParams {
  return new URLSearchParams({
    token: 'fake-verification-token',
    team_id: fields.team_id ?? 'T0FAKETEAM',
    team_domain: fields.team_domain ?? 'fake-team',
    channel_id: fields.channel_id ?? 'C0FAKECHAN',
    channel_name: fields.channel_name ?? 'general',
    user_id: fields.user_id,
    user_name: fields.user_name ?? fields.user_id.toLowerCase(),
    command: fields.command ?? '/groups',
    text: fields.text,
    api_app_id: fields.api_app_id ?? 'A0FAKEAPP0',
    // A string on slash commands (Bolt compares strings), unlike the boolean in interactive payloads.
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id,
  });
}

export function sendSlashCommand(
  endpoint: string,
  secret: string,
  fields: SlashCommandFields,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  return sendSignedForm(endpoint, secret, slashCommandForm(fields).toString(), opts);
}

/** block_actions, view_submission, view_closed, block_suggestion…: one form field `payload=<json>`. */
export function sendInteraction(
  endpoint: string,
  secret: string,
  payload: object,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSignedForm(endpoint, secret, body, opts);
}

/** POSTs an already-encoded form body, signed. Exposed for malformed-body tests. */
export function sendSignedForm(
  endpoint: string,
  secret: string,
  rawBody: string,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  return postRaw(endpoint, rawBody, signedFormHeaders(secret, rawBody, opts));
}

/** The headers Slack sends with a form body: its type and length, the v0 signature, retry marks. */
export function signedFormHeaders(
  secret: string,
  rawBody: string,
  opts: SignedRequestOptions = {},
): Record<string, string> {
  const signature = signSlackBody(opts.badSignature ? `${secret}-wrong` : secret, rawBody, opts.timestamp);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(rawBody)),
    ...signature,
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return headers;
}

/**
 * node:http without keep-alive (`agent: false`): nothing stays open after the test, so vitest exits
 * and no undici dispatcher needs closing.
 */
function postRaw(
  endpoint: string,
  rawBody: string,
  headers: Record<string, string>,
): Promise<SignedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = body === '' ? undefined : JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, ...(json === undefined ? {} : { json }) });
      });
    });
    req.on('error', reject);
    req.end(rawBody);
  });
}

export * from './interaction-payloads.js';

/** An Events API callback over HTTP: a JSON body, signed like every request. */
export function sendEvent(
  endpoint: string,
  secret: string,
  body: object,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  const rawBody = JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(rawBody)),
    ...signSlackBody(opts.badSignature ? `${secret}-wrong` : secret, rawBody, opts.timestamp),
  };
  return postRaw(endpoint, rawBody, headers);
}
