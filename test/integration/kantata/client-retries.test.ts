import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKantataGateway, type KantataClient, KantataError } from '../../../src/kantata/index.js';
import type { KantataGateway } from '../../../src/membership/ports.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { clientFor, rejectionOf } from './support.js';

describe('Kantata client retries (over HTTP, fake Kantata)', () => {
  let fake: FakeKantata;
  let client: KantataClient;
  let gateway: KantataGateway;
  let groupId: string;
  let userIds: string[];

  beforeAll(async () => {
    fake = await startFakeKantata();
    groupId = fake.addGroup('Design').id;
    userIds = fake.addUsers(5).map((u) => u.id);
    client = clientFor(fake, { maxRetries: 3 });
    gateway = createKantataGateway(client);
  });
  beforeEach(() => {
    fake.clearMisbehaviour();
    fake.resetRequests();
  });
  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  const posts = () => fake.requests.filter((r) => r.method === 'POST');

  it('retries a 429 and then succeeds', async () => {
    fake.misbehave({ path: '/workspace_groups', action: { status: 429 } });
    const groups = await gateway.searchGroups('design');
    expect(groups.map((g) => g.name)).toEqual(['Design']);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('gives up on a 429 after maxRetries with kantata_rate_limited', async () => {
    fake.misbehave({ path: '/workspace_groups', times: 10, action: { status: 429 } });
    const error = await rejectionOf(gateway.searchGroups('design'));
    expect(error).toBeInstanceOf(KantataError);
    expect(error).toMatchObject({ code: 'kantata_rate_limited', status: 429 });
    expect(fake.requests).toHaveLength(4);
  });

  it('honours Retry-After in seconds: the retry does not come earlier than it said', async () => {
    fake.misbehave({ path: '/workspace_groups', action: { status: 429, headers: { 'retry-after': '1' } } });
    await gateway.searchGroups('design');
    const [first, second] = fake.requests;
    expect(second?.status).toBe(200);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    // The next whole second at least one second away, so the date form loses nothing to rounding.
    const retryAt = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    fake.misbehave({
      path: '/workspace_groups',
      action: { status: 503, headers: { 'retry-after': new Date(retryAt).toUTCString() } },
    });
    await gateway.searchGroups('design');
    expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(fake.requests[1]?.at).toBeGreaterThanOrEqual(retryAt);
  });

  it('retries a GET after a 500 and then succeeds', async () => {
    fake.misbehave({ method: 'GET', path: '/workspace_groups', times: 2, action: { status: 500 } });
    const groups = await gateway.listAllGroups();
    expect(groups).toHaveLength(1);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('retries a GET after a connection reset', async () => {
    fake.misbehave({ method: 'GET', path: '/users/me', action: 'reset' });
    const me = await gateway.getMe();
    expect(me.email).toBe('bot@example.com');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a DELETE after a 502', async () => {
    const membership = fake.addMembership(userIds[0]!, groupId);
    fake.misbehave({ method: 'DELETE', action: { status: 502 } });
    await gateway.deleteMembership(membership.id);
    expect(fake.memberships(groupId).map((m) => m.id)).not.toContain(membership.id);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 204]);
  });

  it('gives up on a GET that keeps failing with kantata_unavailable', async () => {
    fake.misbehave({ method: 'GET', times: 10, action: { status: 500 } });
    const error = await rejectionOf(gateway.listAllGroups());
    expect(error).toMatchObject({ code: 'kantata_unavailable', status: 500 });
    expect(fake.requests).toHaveLength(4);
  });

  it('never repeats a POST after a 500: exactly one POST, nothing created', async () => {
    fake.misbehave({ method: 'POST', action: { status: 500 } });
    const error = await rejectionOf(gateway.createMemberships(groupId, [userIds[1]!]));
    expect(error).toMatchObject({ code: 'kantata_unavailable', status: 500 });
    expect(posts()).toHaveLength(1);
    expect(fake.memberships(groupId).some((m) => m.userId === userIds[1])).toBe(false);
  });

  it('never repeats a POST after a connection reset, even when Kantata had applied it', async () => {
    fake.misbehave({ method: 'POST', action: 'reset_after_apply' });
    const error = await rejectionOf(gateway.createMemberships(groupId, [userIds[2]!]));
    expect(error).toMatchObject({ code: 'kantata_unavailable' });
    expect(posts()).toHaveLength(1);
    // The outcome was unknown to the client; the fake shows Kantata did act.
    expect(fake.memberships(groupId).filter((m) => m.userId === userIds[2])).toHaveLength(1);
  });

  it('retries a POST that got 503 (Kantata did not act) and creates each membership once', async () => {
    fake.misbehave({ method: 'POST', action: { status: 503 } });
    const created = await gateway.createMemberships(groupId, [userIds[3]!, userIds[4]!]);
    expect(created.map((m) => m.userId)).toEqual([userIds[3], userIds[4]]);
    expect(posts().map((r) => r.status)).toEqual([503, 200]);
    expect(fake.memberships(groupId).filter((m) => m.userId === userIds[3])).toHaveLength(1);
  });

  it('retries a POST that got 429', async () => {
    const extra = fake.addUser({ email: 'late@example.com' });
    fake.misbehave({ method: 'POST', action: { status: 429 } });
    await gateway.createMemberships(groupId, [extra.id]);
    expect(posts().map((r) => r.status)).toEqual([429, 200]);
  });
});
