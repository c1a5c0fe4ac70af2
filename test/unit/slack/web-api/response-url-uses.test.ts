import { describe, expect, it } from 'vitest';
import { createResponseUrlUses } from '../../../../src/slack/web-api/response-url-uses.js';

const ok: typeof fetch = async () => new Response('{"ok":true}', { status: 200 });
const post = { method: 'POST', body: '{}' };

describe('createResponseUrlUses (what is left of each response_url: Slack takes five posts)', () => {
  it('counts each POST to a response_url, refused or not, and never a Web API call', async () => {
    const refused: typeof fetch = async () => new Response('', { status: 404 });
    const uses = createResponseUrlUses({ apiUrl: 'http://127.0.0.1:9/api' });
    const counted = uses.counting(ok);
    await counted('http://127.0.0.1:9/response/a', post);
    await counted('http://127.0.0.1:9/response/a', post);
    await uses.counting(refused)('http://127.0.0.1:9/response/a', post);
    await counted('http://127.0.0.1:9/api/chat.postMessage', post);
    await counted('http://127.0.0.1:9/response/b', { method: 'GET' });
    expect(uses.remaining('http://127.0.0.1:9/response/a')).toBe(2);
    expect(uses.remaining('http://127.0.0.1:9/response/b')).toBe(5);
  });

  it('never says less than none, and forgets a url 30 minutes after its first post', async () => {
    let now = 0;
    const uses = createResponseUrlUses({ now: () => now });
    const counted = uses.counting(ok);
    for (let i = 0; i < 7; i++) await counted('https://hooks.slack.com/commands/x', post);
    expect(uses.remaining('https://hooks.slack.com/commands/x')).toBe(0);
    now = 30 * 60_000;
    expect(uses.remaining('https://hooks.slack.com/commands/x')).toBe(5);
  });
});
