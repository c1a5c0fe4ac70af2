import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';

type Json = Record<string, unknown> & { errors?: { type: string; message: string }[] };

describe('fake Kantata server', () => {
  let fake: FakeKantata;
  const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });
  let group: { id: string };
  let ann: { id: string };
  let bo: { id: string };

  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token = fake.token) {
    const response = await request(`${fake.url}${path}`, {
      method,
      dispatcher: agent,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: (text ? JSON.parse(text) : undefined) as Json };
  }

  beforeAll(async () => {
    fake = await startFakeKantata();
    group = fake.addGroup('Design');
    ann = fake.addUser({ email: 'Ann@Example.com', name: 'Ann' });
    bo = fake.addUser({ email: 'bo@example.com', name: 'Bo' });
  });
  beforeEach(() => {
    fake.clearMisbehaviour();
    fake.setTokenOwner(fake.ownerId);
  });
  afterAll(async () => {
    await fake.close();
    await agent.close();
  });

  it('answers 401 type oauth without or with a wrong bearer token', async () => {
    for (const token of ['', 'nope']) {
      const { status, json } = await call('GET', '/users/me', undefined, token);
      expect(status).toBe(401);
      expect(json.errors?.[0]).toEqual({ type: 'oauth', message: 'Invalid OAuth 2 Request' });
    }
  });

  it('refuses a query parameter the route does not document, naming it', async () => {
    const { status, json } = await call('GET', '/user_group_memberships?user_id=1');
    expect(status).toBe(400);
    expect(json.errors?.[0]?.message).toContain("'user_id'");
  });

  it('refuses per_page over 200 and accepts the .json suffix', async () => {
    expect((await call('GET', '/workspace_groups?per_page=201')).status).toBe(400);
    const { status, json } = await call('GET', '/workspace_groups.json?per_page=200');
    expect(status).toBe(200);
    expect(json.meta).toEqual({ count: 1, page_count: 1, page_number: 1, page_size: 200 });
  });

  it("uses Kantata's list format, with account memberships when included", async () => {
    const { json } = await call(
      'GET',
      `/users?on_my_account=true&by_email_address=ann@example.com&include=account_membership`,
    );
    expect(json.results).toEqual([{ key: 'users', id: ann.id }]);
    const user = (json.users as Record<string, Record<string, unknown>>)[ann.id];
    expect(user).toMatchObject({ id: ann.id, full_name: 'Ann', email_address: 'Ann@Example.com' });
    const accountMemberships = json.account_memberships as Record<string, Record<string, unknown>>;
    expect(accountMemberships[user?.account_membership_id as string]).toMatchObject({
      is_administrator: false,
      permission: 'collaborator',
      disabled_at: null,
    });
  });

  it('hides disabled users unless show_disabled=true, and shows only the requester without on_my_account', async () => {
    const off = fake.addUser({ email: 'off@example.com', disabled: true });
    const ids = async (q: string) =>
      ((await call('GET', `/users?${q}`)).json.results as { id: string }[]).map((r) => r.id);
    expect(await ids('on_my_account=true&by_email_address=off@example.com')).toEqual([]);
    expect(await ids('on_my_account=true&show_disabled=true&by_email_address=off@example.com')).toEqual([
      off.id,
    ]);
    expect(await ids('by_email_addresses=ann@example.com,bo@example.com')).toEqual([]);
  });

  it("lists users found by email or by id in Kantata's alphabetical order, a rename included", async () => {
    const zed = fake.addUser({ email: 'zed@example.com', name: 'Aaron' });
    const ids = async (q: string) =>
      ((await call('GET', `/users?on_my_account=true&${q}`)).json.results as { id: string }[]).map(
        (r) => r.id,
      );
    const byEmail = 'by_email_addresses=bo@example.com,zed@example.com,ann@example.com';
    const byId = `only=${bo.id},${zed.id},${ann.id}`;
    expect(await ids(byEmail)).toEqual([zed.id, ann.id, bo.id]);
    expect(await ids(byId)).toEqual([zed.id, ann.id, bo.id]);
    fake.updateUser(zed.id, { name: 'Zed' });
    expect(await ids(byEmail)).toEqual([ann.id, bo.id, zed.id]);
    expect(await ids(byId)).toEqual([ann.id, bo.id, zed.id]);
    expect(await ids(`only=${bo.id},999999`)).toEqual([bo.id]);
  });

  it('creates memberships in bulk (200, list format) and is all-or-nothing on a duplicate', async () => {
    const created = await call('POST', '/user_group_memberships', {
      user_group_memberships: [{ user_id: Number(ann.id), workspace_group_id: Number(group.id) }],
    });
    expect(created.status).toBe(200);
    const [ref] = created.json.results as { key: string; id: string }[];
    expect(ref?.key).toBe('user_group_memberships');
    expect((created.json.user_group_memberships as Record<string, unknown>)[ref?.id ?? '']).toMatchObject({
      user_id: Number(ann.id),
      workspace_group_id: Number(group.id),
    });

    const again = await call('POST', '/user_group_memberships', {
      user_group_memberships: [
        { user_id: Number(bo.id), workspace_group_id: Number(group.id) },
        { user_id: Number(ann.id), workspace_group_id: Number(group.id) },
      ],
    });
    expect(again.status).toBe(422);
    expect(again.json.errors?.[0]).toMatchObject({
      type: 'validation',
      message: expect.stringMatching(/already been taken/),
    });
    expect(fake.memberships(group.id).map((m) => m.userId)).toEqual([ann.id]);
  });

  it('accepts the single form, refuses more than 100, string ids, unknown keys and unknown users', async () => {
    const single = await call('POST', '/user_group_memberships', {
      user_group_membership: { user_id: Number(bo.id), workspace_group_id: Number(group.id) },
    });
    expect(single.status).toBe(200);
    const many = Array.from({ length: 101 }, () => ({ user_id: 1, workspace_group_id: Number(group.id) }));
    expect((await call('POST', '/user_group_memberships', { user_group_memberships: many })).status).toBe(
      422,
    );
    const asStrings = { user_group_memberships: [{ user_id: ann.id, workspace_group_id: group.id }] };
    expect((await call('POST', '/user_group_memberships', asStrings)).status).toBe(400);
    expect((await call('POST', '/user_group_memberships', { memberships: [] })).status).toBe(400);
    expect((await call('POST', '/user_group_memberships', 'not json')).status).toBe(400);
    const unknownUser = await call('POST', '/user_group_memberships', {
      user_group_membership: { user_id: 1, workspace_group_id: Number(group.id) },
    });
    expect(unknownUser.status).toBe(422);
  });

  it('deletes with 204, then 404', async () => {
    const membership = fake.addMembership(fake.addUser({ email: 'del@example.com' }).id, group.id);
    expect((await call('DELETE', `/user_group_memberships/${membership.id}`)).status).toBe(204);
    expect((await call('DELETE', `/user_group_memberships/${membership.id}`)).status).toBe(404);
  });

  it('lets only an administrator token owner use /user_group_memberships', async () => {
    fake.setTokenOwner(bo.id);
    const { status, json } = await call('GET', `/user_group_memberships?group_ids=${group.id}`);
    expect(status).toBe(403);
    expect(json.errors?.[0]?.message).toMatch(/Account Administrator/);
  });

  it('misbehaves on the nth matching request for `times` requests, and records statuses', async () => {
    fake.resetRequests();
    fake.misbehave({ method: 'GET', path: /^\/workspace_groups/, nth: 2, times: 2, action: { status: 503 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', '/workspace_groups')).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 503, 503, 200]);
  });

  it('closes even with a hung request open', async () => {
    const other = await startFakeKantata();
    other.misbehave({ action: 'hang' });
    const hung = request(`${other.url}/users/me`, { dispatcher: agent }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(other.requests).toHaveLength(1));
    await other.close();
    expect(await hung).toBeInstanceOf(Error);
  });

  it('seeds 10,000 users and 5,000 memberships, and pages through them', async () => {
    const big = await startFakeKantata();
    try {
      const users = big.addUsers(10_000);
      const g = big.addGroup('Everyone');
      big.addMembers(
        g.id,
        users.slice(0, 5_000).map((u) => u.id),
      );
      expect(big.memberships(g.id)).toHaveLength(5_000);
      const response = await request(
        `${big.url}/user_group_memberships?group_ids=${g.id}&per_page=200&page=25`,
        {
          dispatcher: agent,
          headers: { authorization: `Bearer ${big.token}` },
        },
      );
      const json = (await response.body.json()) as { meta: { page_count: number }; results: unknown[] };
      expect(json.meta.page_count).toBe(25);
      expect(json.results).toHaveLength(200);
    } finally {
      await big.close();
    }
  });
});
