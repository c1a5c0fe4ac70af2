import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/logging/logger.js';
import { createWebApiPacer } from '../../../../src/slack/web-api/pacer.js';
import { createManualPacerClock } from '../../../fakes/fast-pacer-clock.js';

const API = 'https://slack.test/api/';
const logger = createLogger({ level: 'error', write: () => {} });

/** A fake `fetch`: answers from a script per method, records every request it got. */
function scripted(script: Record<string, (n: number) => Response>) {
  const sent: { method: string; body: string }[] = [];
  const counts = new Map<string, number>();
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = url.slice(API.length);
    const n = (counts.get(method) ?? 0) + 1;
    counts.set(method, n);
    sent.push({ method, body: String(init?.body ?? '') });
    return script[method]?.(n) ?? Response.json({ ok: true });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const limited = (retryAfter: number) =>
  new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
    status: 429,
    headers: { 'retry-after': String(retryAfter) },
  });

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the Web API pacer', () => {
  it('waits out a 429 for its Retry-After and sends again; the caller sees only the answer', async () => {
    const clock = createManualPacerClock();
    const { fetch, sent } = scripted({
      'chat.postMessage': (n) => (n === 1 ? limited(30) : Response.json({ ok: true, ts: '1' })),
    });
    const pacer = createWebApiPacer({ apiUrl: API, clock, logger, baseFetch: fetch });
    let done = false;
    const call = pacer
      .fetch(`${API}chat.postMessage`, { method: 'POST', body: 'channel=C1&text=hi' })
      .then((r) => {
        done = true;
        return r;
      });
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toHaveLength(1);
    clock.advance(29_000);
    for (let i = 0; i < 5; i++) await flush();
    expect(done).toBe(false);
    clock.advance(1_000);
    const res = await call;
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(2);
  });

  it('pauses only the method that was limited: other methods go on at once', async () => {
    const clock = createManualPacerClock();
    const { fetch, sent } = scripted({ 'users.list': () => limited(60) });
    const pacer = createWebApiPacer({ apiUrl: API, clock, logger, baseFetch: fetch });
    void pacer.fetch(`${API}users.list`, { method: 'POST', body: 'limit=200' });
    for (let i = 0; i < 5; i++) await flush();
    const posted = await pacer.fetch(`${API}chat.postMessage`, { method: 'POST', body: 'channel=C1' });
    expect(posted.status).toBe(200);
    expect(sent.map((s) => s.method)).toEqual(['users.list', 'chat.postMessage']);
  });

  it('follows the tiers: a Tier 2 method past its burst of 20 waits 3 s per call', async () => {
    const clock = createManualPacerClock();
    const { fetch, sent } = scripted({});
    const pacer = createWebApiPacer({ apiUrl: API, clock, logger, baseFetch: fetch });
    const calls = Array.from({ length: 22 }, () =>
      pacer.fetch(`${API}users.list`, { method: 'POST', body: '' }),
    );
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toHaveLength(20);
    clock.advance(3_000);
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toHaveLength(21);
    clock.advance(3_000);
    await Promise.all(calls);
    expect(sent).toHaveLength(22);
  });

  it('limits chat.postMessage per channel: one busy channel does not hold back another', async () => {
    const clock = createManualPacerClock();
    const { fetch, sent } = scripted({});
    const pacer = createWebApiPacer({ apiUrl: API, clock, logger, baseFetch: fetch });
    const post = (channel: string) =>
      pacer.fetch(`${API}chat.postMessage`, { method: 'POST', body: `channel=${channel}` });
    for (let i = 0; i < 12; i++) void post('C1');
    for (let i = 0; i < 5; i++) await flush();
    expect(sent).toHaveLength(10);
    await post('C2');
    expect(sent.at(-1)?.body).toBe('channel=C2');
  });

  it('passes other URLs (response_url) through untouched', async () => {
    const clock = createManualPacerClock();
    const seen: string[] = [];
    const pacer = createWebApiPacer({
      apiUrl: API,
      clock,
      logger,
      baseFetch: (async (input: string | URL | Request) => {
        seen.push(String(input));
        return limited(5);
      }) as typeof globalThis.fetch,
    });
    const res = await pacer.fetch('https://hooks.slack.test/response/1', { method: 'POST' });
    expect(res.status).toBe(429);
    expect(seen).toEqual(['https://hooks.slack.test/response/1']);
  });
});
