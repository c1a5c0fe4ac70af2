import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../logging/logger.js';
import { HTTPModuleFunctions, isValidSlackRequest } from '../bolt-runtime.js';

/** Slack says to refuse a request whose timestamp is more than 5 minutes off, either way. */
const MAX_CLOCK_SKEW_S = 5 * 60;
/** Bolt's own default body limit (4 MB). */
const BODY_LIMIT = 4 * 1024 * 1024;

export type GuardOutcome = { pass: true } | { pass: false; status: number; reason: string };

/**
 * Checks Bolt's HTTPReceiver leaves open, before handing the request to it: a timestamp too far in the
 * *future* (Bolt refuses only old ones), and a correctly signed body whose payload is not an object
 * (`payload=null`, JSON `null`, an array, a number), which makes Bolt throw outside any handler. The body is
 * buffered here as `rawBody`, which Bolt then reuses instead of reading the stream again.
 */
export async function guardSlackRequest(
  req: IncomingMessage,
  signingSecret: string,
  nowMs: number,
): Promise<GuardOutcome> {
  let raw: string;
  try {
    raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, BODY_LIMIT)).rawBody.toString();
  } catch (error) {
    const tooLarge = (error as { type?: unknown }).type === 'entity.too.large';
    return {
      pass: false,
      status: tooLarge ? 413 : 400,
      reason: tooLarge ? 'body too large' : 'unreadable body',
    };
  }
  const contentType = req.headers['content-type'];
  const form = contentType === 'application/x-www-form-urlencoded';
  const fields = form ? parseQuery(raw) : undefined;
  if (fields?.ssl_check === '1') return { pass: true };
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (Number.isFinite(timestamp) && timestamp - Math.floor(nowMs / 1000) > MAX_CLOCK_SKEW_S) {
    return { pass: false, status: 401, reason: 'timestamp too far in the future' };
  }
  const signature = req.headers['x-slack-signature'];
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return { pass: true }; // Bolt answers 401
  const problem = payloadProblem(raw, fields);
  // A payload of the right shape goes to Bolt, which checks the signature (and answers 401 for a bad one).
  // Only a malformed one is checked here first, so that an unsigned request never learns more than
  // Bolt's 401: the signature costs two HMACs and a random key, once per request is enough.
  if (!problem) return { pass: true };
  const signed = isValidSlackRequest({
    signingSecret,
    body: raw,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
  if (!signed) return { pass: true }; // Bolt answers 401 (and logs why)
  return { pass: false, status: 400, reason: problem };
}

/** Why the body cannot be handed to Bolt (a `payload` field or a JSON body that is not an object), or null. */
function payloadProblem(raw: string, fields: ReturnType<typeof parseQuery> | undefined): string | null {
  let body: unknown;
  try {
    if (fields) body = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    else body = JSON.parse(raw);
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'payload is not an object';
  return null;
}

export function refuse(
  res: ServerResponse,
  outcome: Extract<GuardOutcome, { pass: false }>,
  logger: Logger,
): void {
  logger.warn('Slack request refused', { status: outcome.status, reason: outcome.reason });
  res.writeHead(outcome.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(outcome.reason);
}
