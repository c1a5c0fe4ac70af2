import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request, webSocketParts } from '../../../src/util/undici-runtime.js';

describe("undici's parts taken from its own modules", () => {
  let server: Server;
  let base: string;
  const agent = new Agent();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, body, auth: req.headers.authorization }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    server.close();
  });

  it('are the classes and functions the index exports', () => {
    expect(Agent).toBe(undici.Agent);
    expect(webSocketParts().WebSocket).toBe(undici.WebSocket);
    expect(webSocketParts().ping).toBe(undici.ping);
  });

  it('request sends like undici.request: path and query kept, GET by default, PUT with a body', async () => {
    const get = await request(`${base}/a/b?x=1&y=2`, {
      dispatcher: agent,
      headers: { authorization: 'Bearer t' },
    });
    expect(get.statusCode).toBe(200);
    expect(await get.body.json()).toEqual({ method: 'GET', url: '/a/b?x=1&y=2', body: '', auth: 'Bearer t' });
    const put = await request(new URL(`${base}/c`), { dispatcher: agent, body: 'hello' });
    expect(await put.body.json()).toMatchObject({ method: 'PUT', url: '/c', body: 'hello' });
    const post = await request(`${base}/d`, { dispatcher: agent, method: 'POST', body: '{}' });
    expect(await post.body.json()).toMatchObject({ method: 'POST', url: '/d', body: '{}' });
  });

  it('refuses a URL that is not http(s), as undici does', async () => {
    expect(() => request('ftp://example.com/x', { dispatcher: agent })).toThrow(/protocol/);
  });
});
