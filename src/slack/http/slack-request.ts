import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { BufferedIncomingMessage } from '@slack/bolt';
import { HTTPModuleFunctions } from '../bolt-runtime.js';

/** Slack says to refuse a request whose timestamp is more than 5 minutes off, either way. */
const MAX_CLOCK_SKEW_S = 5 * 60;
/** Bolt's own default body limit (4 MB). */
const BODY_LIMIT = 4 * 1024 * 1024;

/** What a request to the events endpoint is, once read: refused, Slack's SSL check, or a verified payload. */
export type SlackRequest =
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'ssl_check' }
  | { kind: 'payload'; body: Record<string, unknown>; request: BufferedIncomingMessage };

/**
 * Reads, verifies and parses one request to the events endpoint, as Bolt's HTTPReceiver does, in one pass:
 * the body is parsed once (Bolt parsed it twice, and the guard before it a third time) and the signature is
 * one HMAC compared with `timingSafeEqual` (Bolt's `tsscmp` computes two more HMACs under a fresh random
 * key per request). On the path of every acknowledgement that was about 0.15 ms of 1 ms of the bot's time
 * per request (bench/README.md, phase 1). Refused here, with Bolt's answers:
 * - a body over 4 MB (413), or one that cannot be read (400);
 * - a missing or malformed signature or timestamp, a wrong signature, or a timestamp more than 5 minutes
 *   old (401); also one more than 5 minutes in the *future*, which Bolt lets through;
 * - a correctly signed body whose payload is not an object (`payload=null`, JSON `null`, an array, a
 *   number: Bolt would throw outside any handler) or is not JSON (400). An unsigned one gets the 401, so
 *   that a request without the secret learns nothing more.
 * `ssl_check=1` needs no signature (Slack's check that the endpoint answers).
 */
export async function readSlackRequest(
  req: IncomingMessage,
  signingSecret: string,
  nowMs: number,
): Promise<SlackRequest> {
  let request: BufferedIncomingMessage;
  try {
    request = await HTTPModuleFunctions.bufferIncomingMessage(req, BODY_LIMIT);
  } catch (error) {
    const tooLarge = (error as { type?: unknown }).type === 'entity.too.large';
    return refused(tooLarge ? 413 : 400, tooLarge ? 'body too large' : 'unreadable body');
  }
  const raw = request.rawBody.toString();
  const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
  const fields = form ? parseQuery(raw) : undefined;
  if (fields?.ssl_check === '1') return { kind: 'ssl_check' };

  const signature = req.headers['x-slack-signature'];
  const timestampHeader = req.headers['x-slack-request-timestamp'];
  const timestamp = Number(timestampHeader);
  if (typeof signature !== 'string' || typeof timestampHeader !== 'string' || !Number.isFinite(timestamp)) {
    return refused(401, 'no signature or timestamp');
  }
  const nowS = Math.floor(nowMs / 1000);
  if (timestamp - nowS > MAX_CLOCK_SKEW_S) return refused(401, 'timestamp too far in the future');
  if (nowS - timestamp > MAX_CLOCK_SKEW_S) return refused(401, 'timestamp older than 5 minutes');
  if (!signatureMatches(signingSecret, timestamp, raw, signature)) return refused(401, 'signature mismatch');

  const body = parsePayload(raw, fields);
  if (typeof body === 'string') return refused(400, body);
  return { kind: 'payload', body, request };
}

/** `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<body>` under the signing secret (Slack's scheme). */
function signatureMatches(secret: string, timestamp: number, raw: string, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The payload as Bolt parses it (a form's `payload` field is JSON), or why it cannot be handed to Bolt. */
function parsePayload(
  raw: string,
  fields: ReturnType<typeof parseQuery> | undefined,
): Record<string, unknown> | string {
  let body: unknown;
  try {
    if (fields) body = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    else body = JSON.parse(raw);
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'payload is not an object';
  return body as Record<string, unknown>;
}

function refused(status: number, reason: string): SlackRequest {
  return { kind: 'refused', status, reason };
}
