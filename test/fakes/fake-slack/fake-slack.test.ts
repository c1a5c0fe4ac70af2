import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './index.js';

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    timeout: 5000,
    logger: silentLogger(),
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** WebClient logs Slack's response_metadata messages at ERROR; the refusals here are expected. */
function silentLogger() {
  const noop = () => {};
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: noop,
    getLevel: () => webApi.LogLevel.ERROR,
    setName: noop,
  };
}

function section(text: string, blockId?: string) {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text } };
}

function modal(blocks: unknown[] = [section('hi')], title = 'Groups') {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    blocks: blocks as never,
  };
}

async function slackError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error;
  }
}

describe('auth and routing', () => {
  it('answers auth.test for the bot token and refuses others', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
    const stranger = new webApi.WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    expect(await slackError(stranger.auth.test())).toBe('invalid_auth');
  });

  it('answers unknown_method for methods it does not know', async () => {
    expect(await slackError(client.apiCall('files.summon'))).toBe('unknown_method');
  });

  it('records calls with JSON fields parsed and without the token', async () => {
    await client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('hello')] });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.args.blocks).toEqual([section('hello')]);
    expect(call?.args).not.toHaveProperty('token');
  });

  it('fails a method on demand, then recovers', async () => {
    fake.failNext('chat.postMessage', 'not_in_channel');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('not_in_channel');
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });
});

describe('messages', () => {
  it('keeps the current state of posted, updated and threaded messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'first' });
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'second' });
    await client.chat.postMessage({ channel: 'C1', thread_ts: posted.ts!, text: 'details' });
    expect(fake.messages.get('C1', posted.ts!)).toMatchObject({ text: 'second', updates: 1 });
    expect(fake.messages.inChannel('C1').map((m) => m.text)).toContain('second');
    expect(fake.messages.replies('C1', posted.ts!).map((m) => m.text)).toEqual(['details']);
  });

  it('delivers a post to a user id as a DM in a D channel', async () => {
    const ann = fake.addUser({ name: 'ann' });
    const posted = await client.chat.postMessage({ channel: ann.id, text: 'hi' });
    expect(posted.channel).toBe(fake.dmChannelOf(ann.id));
    expect(posted.channel).toMatch(/^D/);
    expect(fake.messages.dmsTo(ann.id).map((m) => m.text)).toEqual(['hi']);
    const opened = await client.conversations.open({ users: ann.id });
    expect(opened.channel?.id).toBe(posted.channel);
  });

  it('refuses 51 blocks, duplicate block_ids, long section text and too long messages', async () => {
    const many = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: many }))).toBe(
      'invalid_blocks',
    );
    const dup = [section('a', 'same'), section('b', 'same')];
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: dup }))).toBe(
      'invalid_blocks',
    );
    const long = [section('x'.repeat(3001))];
    expect(
      await slackError(client.chat.postEphemeral({ channel: 'C1', user: fake.botUserId, blocks: long })),
    ).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
    expect(fake.messages.inChannel('C1').every((m) => m.blocks?.length !== 51)).toBe(true);
  });

  it('says which limit was broken, with a json-pointer', async () => {
    const button = { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } };
    const error = await client.chat
      .postMessage({ channel: 'C1', text: 'x', blocks: [{ type: 'actions', elements: [button] }] as never })
      .catch((e: unknown) => e);
    expect((error as { data?: unknown }).data).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: {
        messages: ['[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
      },
    });
  });

  it('accepts exactly 50 blocks and a 3000-character section', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => section(i === 0 ? 'y'.repeat(3000) : `row ${i}`));
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: fifty })).resolves.toMatchObject(
      {
        ok: true,
      },
    );
  });

  it('cannot update a message that was never posted', async () => {
    expect(await slackError(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
  });
});

describe('views and trigger ids', () => {
  it('opens a modal once per trigger_id; a reused or unknown one is refused', async () => {
    const trigger = fake.newTriggerId();
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.views.get(opened.view!.id!)).toBeDefined();
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toBe(
      'expired_trigger_id',
    );
    expect(await slackError(client.views.open({ trigger_id: 'made.up', view: modal() }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('refuses an expired trigger_id', async () => {
    const shortLived = await startFakeSlack({ triggerTtlMs: 1 });
    try {
      const c = new webApi.WebClient(shortLived.botToken, {
        slackApiUrl: shortLived.apiUrl,
        retryConfig: { retries: 0 },
      });
      const trigger = shortLived.newTriggerId();
      await new Promise((r) => setTimeout(r, 20));
      expect(await slackError(c.views.open({ trigger_id: trigger, view: modal() }))).toBe(
        'expired_trigger_id',
      );
    } finally {
      await shortLived.close();
    }
  });

  it('updates by view_id and refuses a stale hash', async () => {
    const opened = await client.views.open({ trigger_id: fake.newTriggerId(), view: modal() });
    const id = opened.view!.id!;
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view!.hash!,
      view: modal([section('2')]),
    });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(fake.views.get(id)?.view.blocks).toEqual([section('2')]);
    expect(
      await slackError(
        client.views.update({ view_id: id, hash: opened.view!.hash!, view: modal([section('3')]) }),
      ),
    ).toBe('hash_conflict');
  });

  it('refuses modal limits: title over 24, more than 100 blocks, private_metadata over 3000', async () => {
    const bad = [
      modal(undefined, 'x'.repeat(25)),
      modal(Array.from({ length: 101 }, (_, i) => section(`r${i}`))),
      { ...modal(), private_metadata: 'm'.repeat(3001) },
    ];
    for (const view of bad) {
      expect(await slackError(client.views.open({ trigger_id: fake.newTriggerId(), view }))).toBe(
        'invalid_arguments',
      );
    }
    await expect(
      client.views.open({
        trigger_id: fake.newTriggerId(),
        view: modal(Array.from({ length: 100 }, () => section('r'))),
      }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('allows two pushes onto a modal and refuses a third', async () => {
    const root = await client.views.open({ trigger_id: fake.newTriggerId(), view: modal() });
    const second = await client.views.push({ trigger_id: fake.newTriggerId(root.view!.id!), view: modal() });
    const third = await client.views.push({ trigger_id: fake.newTriggerId(second.view!.id!), view: modal() });
    expect(third.view?.root_view_id).toBe(root.view?.id);
    expect(
      await slackError(client.views.push({ trigger_id: fake.newTriggerId(third.view!.id!), view: modal() })),
    ).toBe('push_limit_reached');
  });
});

describe('users', () => {
  it('pages users.list at most 200 at a time with next_cursor', async () => {
    const f = await startFakeSlack();
    try {
      const c = new webApi.WebClient(f.botToken, { slackApiUrl: f.apiUrl, retryConfig: { retries: 0 } });
      f.addUsers(450);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await c.users.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
        expect(page.members!.length).toBeLessThanOrEqual(200);
        ids.push(...page.members!.map((m) => m.id!));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      // 450 people plus the bot and Slackbot, which Slack lists too.
      expect(new Set(ids).size).toBe(452);
      expect(f.callsTo('users.list')).toHaveLength(3);
    } finally {
      await f.close();
    }
  });

  it('answers users.info, lookupByEmail and usergroups.users.list', async () => {
    const bea = fake.addUser({ name: 'bea', email: 'Bea@Example.com', isUltraRestricted: true });
    const info = await client.users.info({ user: bea.id });
    expect(info.user).toMatchObject({
      id: bea.id,
      is_ultra_restricted: true,
      profile: { email: 'Bea@Example.com' },
    });
    const found = await client.users.lookupByEmail({ email: 'bea@example.com' });
    expect(found.user?.id).toBe(bea.id);
    expect(await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe(
      'users_not_found',
    );
    expect(await slackError(client.users.info({ user: 'UNOBODY' }))).toBe('user_not_found');
    fake.addUsergroup('S1', 'team', [bea.id]);
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual([bea.id]);
  });

  it('creates 5,000 users in one go', () => {
    const f = fake.addUsers(5000, { prefix: 'bulk', domain: 'corp.test' });
    expect(f).toHaveLength(5000);
    expect(f[4999]?.email).toBe('bulk4999@corp.test');
  });
});

describe('response_url', () => {
  async function post(url: string, body: unknown): Promise<number> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('records what is posted, accepts 5 uses and then answers 404', async () => {
    const url = fake.responseUrl();
    for (let i = 0; i < 5; i++) expect(await post(url, { text: `n${i}`, replace_original: true })).toBe(200);
    expect(await post(url, { text: 'sixth' })).toBe(404);
    expect(fake.responses.filter((r) => r.url === url && r.status === 200).map((r) => r.body.text)).toEqual([
      'n0',
      'n1',
      'n2',
      'n3',
      'n4',
    ]);
  });

  it('refuses more than 50 blocks with 400 invalid_blocks', async () => {
    const url = fake.responseUrl();
    const many = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(await post(url, { text: 'x', blocks: many })).toBe(400);
    expect(fake.responses.at(-1)?.status).toBe(400);
  });
});
