import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './index.js';
import { RateTiers } from './rate-tiers.js';

describe("the fake's rate tiers", () => {
  it('lets a minute of Tier 2 calls burst, then answers 429 with the seconds until the next', () => {
    let now = 0;
    const tiers = new RateTiers({ now: () => now });
    for (let i = 0; i < 20; i++) expect(tiers.take('users.list', {})).toEqual({ ok: true });
    expect(tiers.take('users.list', {})).toEqual({ ok: false, retryAfter: 3 });
    expect(tiers.take('users.info', {})).toEqual({ ok: true }); // another method, another budget
    now += 3_000;
    expect(tiers.take('users.list', {})).toEqual({ ok: true });
  });

  it('limits chat.postMessage per channel', () => {
    const now = 0;
    const tiers = new RateTiers({ now: () => now });
    for (let i = 0; i < 10; i++) expect(tiers.take('chat.postMessage', { channel: 'C1' }).ok).toBe(true);
    expect(tiers.take('chat.postMessage', { channel: 'C1' })).toEqual({ ok: false, retryAfter: 1 });
    expect(tiers.take('chat.postMessage', { channel: 'C2' }).ok).toBe(true);
  });

  describe('over HTTP', () => {
    let slack: FakeSlack;
    afterEach(async () => {
      await slack.close();
    });

    it('answers like Slack: 429, Retry-After and ratelimited, counted per method', async () => {
      slack = await startFakeSlack({ rateLimits: true });
      const call = () =>
        fetch(`${slack.apiUrl}users.list`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${slack.botToken}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'limit=200',
        });
      for (let i = 0; i < 20; i++) expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toEqual({ ok: false, error: 'ratelimited' });
      expect(slack.rateLimitedCounts()).toEqual({ 'users.list': 1 });
    });
  });
});
