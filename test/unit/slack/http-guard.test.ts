import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardSlackRequest } from '../../../src/slack/http/slack-request-guard.js';
import { signSlackBody } from '../../fakes/fake-slack/index.js';

const SECRET = 'guard-secret';

function request(body: string, timestamp: number, contentType = 'application/x-www-form-urlencoded') {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  req.headers = { 'content-type': contentType, ...signSlackBody(SECRET, body, timestamp) };
  return req;
}

describe('the Slack request guard', () => {
  // Real time: the signature check (Bolt's) refuses stale timestamps by the clock.
  const now = Date.now();
  const nowS = Math.floor(now / 1000);

  it('refuses a timestamp more than 5 minutes in the future, and lets 5 minutes pass', async () => {
    expect(await guardSlackRequest(request('payload=%7B%7D', nowS + 301), SECRET, now)).toMatchObject({
      pass: false,
      status: 401,
    });
    expect(await guardSlackRequest(request('payload=%7B%7D', nowS + 300), SECRET, now)).toEqual({
      pass: true,
    });
  });

  it('answers 400 to signed payloads that are not objects', async () => {
    for (const payload of ['null', '[]', '3', '"s"']) {
      const form = `payload=${encodeURIComponent(payload)}`;
      expect(await guardSlackRequest(request(form, nowS), SECRET, now)).toMatchObject({
        pass: false,
        status: 400,
      });
      expect(await guardSlackRequest(request(payload, nowS, 'application/json'), SECRET, now)).toMatchObject({
        pass: false,
        status: 400,
      });
    }
  });
});
