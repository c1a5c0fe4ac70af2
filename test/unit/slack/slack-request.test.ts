import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSlackRequest } from '../../../src/slack/http/slack-request.js';
import { signSlackBody } from '../../fakes/fake-slack/index.js';

const SECRET = 'guard-secret';

function request(
  body: string,
  timestamp: number,
  contentType = 'application/x-www-form-urlencoded',
  headers: Record<string, string> = signSlackBody(SECRET, body, timestamp),
) {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  req.headers = { 'content-type': contentType, ...headers };
  return req;
}

describe('reading a request to the events endpoint', () => {
  const now = Date.parse('2026-12-02T10:00:00.000Z');
  const nowS = Math.floor(now / 1000);

  it('parses a signed form once: a payload field is JSON, a command is its fields', async () => {
    const action = await readSlackRequest(
      request('payload=%7B%22type%22%3A%22block_actions%22%7D', nowS),
      SECRET,
      now,
    );
    expect(action).toMatchObject({ kind: 'payload', body: { type: 'block_actions' } });
    const command = await readSlackRequest(request('command=%2Fgroups&text=help', nowS), SECRET, now);
    expect(command).toMatchObject({ kind: 'payload', body: { command: '/groups', text: 'help' } });
    const json = await readSlackRequest(
      request('{"type":"event_callback"}', nowS, 'application/json'),
      SECRET,
      now,
    );
    expect(json).toMatchObject({ kind: 'payload', body: { type: 'event_callback' } });
  });

  it('refuses a wrong signature, a missing one, and timestamps more than 5 minutes off either way (401)', async () => {
    const body = 'command=%2Fgroups&text=help';
    const wrong = signSlackBody('another-secret', body, nowS);
    expect(await readSlackRequest(request(body, nowS, undefined, wrong), SECRET, now)).toMatchObject({
      kind: 'refused',
      status: 401,
      reason: 'signature mismatch',
    });
    expect(await readSlackRequest(request(body, nowS, undefined, {}), SECRET, now)).toMatchObject({
      status: 401,
    });
    // Signed with the secret, but the body was changed on the way.
    const tampered = request(`${body}x`, nowS, undefined, signSlackBody(SECRET, body, nowS));
    expect(await readSlackRequest(tampered, SECRET, now)).toMatchObject({ status: 401 });
    expect(await readSlackRequest(request(body, nowS + 301), SECRET, now)).toMatchObject({ status: 401 });
    expect(await readSlackRequest(request(body, nowS - 301), SECRET, now)).toMatchObject({ status: 401 });
    expect(await readSlackRequest(request(body, nowS + 300), SECRET, now)).toMatchObject({ kind: 'payload' });
    expect(await readSlackRequest(request(body, nowS - 300), SECRET, now)).toMatchObject({ kind: 'payload' });
  });

  it('answers 400 to signed payloads that are not objects, 401 to the same unsigned', async () => {
    for (const payload of ['null', '[]', '3', '"s"', '{not json']) {
      const form = `payload=${encodeURIComponent(payload)}`;
      expect(await readSlackRequest(request(form, nowS), SECRET, now)).toMatchObject({ status: 400 });
      expect(await readSlackRequest(request(payload, nowS, 'application/json'), SECRET, now)).toMatchObject({
        status: 400,
      });
      expect(await readSlackRequest(request(form, nowS, undefined, {}), SECRET, now)).toMatchObject({
        status: 401,
      });
    }
  });

  it("lets Slack's SSL check through without a signature", async () => {
    expect(await readSlackRequest(request('ssl_check=1&token=x', nowS, undefined, {}), SECRET, now)).toEqual({
      kind: 'ssl_check',
    });
  });
});
