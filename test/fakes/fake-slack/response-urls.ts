import { randomBytes } from 'node:crypto';
import { validateMessageBlocks } from './block-validation.js';

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

export type ResponseUrlAnswer = { status: number; body: unknown };

/**
 * response_urls as Slack serves them: up to 5 accepted posts within 30 minutes, then 404.
 * Non-2xx makes Bolt 5's `respond()` throw RespondError, so a bad body surfaces in the app's tests.
 */
export class ResponseUrls {
  private readonly urls = new Map<string, { uses: number; expiresAt: number }>();

  issue(): string {
    const id = randomBytes(12).toString('hex');
    this.urls.set(id, { uses: 0, expiresAt: Date.now() + LIFETIME_MS });
    return id;
  }

  accept(id: string, body: unknown): ResponseUrlAnswer {
    const entry = this.urls.get(id);
    if (!entry || Date.now() > entry.expiresAt)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (entry.uses >= MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    if (typeof body !== 'object' || body === null)
      return { status: 400, body: { ok: false, error: 'invalid_payload' } };
    const b = body as Record<string, unknown>;
    if (typeof b.text === 'string' && b.text.length > 40_000) {
      return { status: 400, body: { ok: false, error: 'msg_too_long' } };
    }
    const v = validateMessageBlocks(b.blocks);
    if (!v.ok)
      return {
        status: 400,
        body: { ok: false, error: v.error, response_metadata: { messages: v.messages } },
      };
    entry.uses += 1;
    return { status: 200, body: { ok: true } };
  }
}
