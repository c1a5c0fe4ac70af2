import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createKantataClient,
  createKantataGateway,
  type KantataClient,
  KantataError,
} from '../../../src/kantata/index.js';
import type { KantataGateway } from '../../../src/membership/ports.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { captureLogger, clientFor, dumpError, rejectionOf } from './support.js';

const SECRET = 'sekrit-token-0123456789abcdef';

describe('Kantata client errors (over HTTP, fake Kantata)', () => {
  let fake: FakeKantata;
  let client: KantataClient;
  let gateway: KantataGateway;
  let groupId: string;
  let ann: { id: string };
  const log = captureLogger();

  beforeAll(async () => {
    fake = await startFakeKantata({ token: SECRET });
    groupId = fake.addGroup('Design').id;
    ann = fake.addUser({ email: 'ann@example.com', name: 'Ann' });
    fake.addMembership(ann.id, groupId);
    client = clientFor(fake, { timeoutMs: 300, logger: log.logger });
    gateway = createKantataGateway(client);
  });
  beforeEach(() => {
    fake.clearMisbehaviour();
    fake.resetRequests();
    fake.setTokenOwner(fake.ownerId);
  });
  afterAll(async () => {
    await client.close();
    await fake.close();
    // Every line logged during the whole file, successes and failures alike.
    expect(log.lines.length).toBeGreaterThan(0);
    for (const line of log.lines) expect(line).not.toContain(SECRET);
  });

  it("maps 401 to kantata_unauthorized with Kantata's message", async () => {
    const stranger = createKantataClient({ baseUrl: fake.url, token: `${SECRET}-wrong`, concurrency: 1 });
    try {
      const error = await rejectionOf(stranger.get('/users/me'));
      expect(error).toBeInstanceOf(KantataError);
      expect(error).toMatchObject({
        code: 'kantata_unauthorized',
        status: 401,
        message: 'Invalid OAuth 2 Request',
      });
      expect(dumpError(error)).not.toContain(SECRET);
    } finally {
      await stranger.close();
    }
  });

  it('maps 403 to kantata_forbidden when the token owner is not an administrator', async () => {
    fake.setTokenOwner(fake.addUser({ email: 'pat@example.com' }).id);
    const error = await rejectionOf(gateway.listMemberships({ groupId }));
    expect(error).toMatchObject({
      code: 'kantata_forbidden',
      status: 403,
      kantataMessage: 'You must be an Account Administrator to use these endpoints.',
    });
  });

  it('maps 404 to kantata_not_found (delete of an unknown membership)', async () => {
    const error = await rejectionOf(gateway.deleteMembership('999999'));
    expect(error).toMatchObject({ code: 'kantata_not_found', status: 404 });
    expect((error as KantataError).kantataMessage).toMatch(/could not be found/);
  });

  it("maps 422 to kantata_validation with Kantata's messages joined", async () => {
    const error = await rejectionOf(gateway.createMemberships(groupId, [ann.id]));
    expect(error).toMatchObject({ code: 'kantata_validation', status: 422 });
    expect((error as KantataError).message).toMatch(/has already been taken/);
    expect(fake.memberships(groupId)).toHaveLength(1);
  });

  it('maps 400 to kantata_validation naming what Kantata refused', async () => {
    const error = await rejectionOf(client.get('/users', { user_email: 'x' }));
    expect(error).toMatchObject({ code: 'kantata_validation', status: 400 });
    expect((error as KantataError).message).toContain('user_email');
  });

  it('throws kantata_timeout when Kantata does not answer in time, without repeating the GET', async () => {
    fake.misbehave({ method: 'GET', action: 'hang' });
    const error = await rejectionOf(gateway.getGroup(groupId));
    expect(error).toMatchObject({ code: 'kantata_timeout' });
    expect(fake.requests).toHaveLength(1);
  });

  it('throws kantata_timeout for a POST that was applied but never answered, and does not repeat it', async () => {
    const bo = fake.addUser({ email: 'bo@example.com' });
    fake.misbehave({ method: 'POST', action: 'hang_after_apply' });
    const error = await rejectionOf(gateway.createMemberships(groupId, [bo.id]));
    expect(error).toMatchObject({ code: 'kantata_timeout' });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(fake.memberships(groupId).map((m) => m.userId)).toContain(bo.id);
  });

  it('throws kantata_bad_response naming the JSON path that failed', async () => {
    fake.misbehave({
      path: '/user_group_memberships',
      action: {
        status: 200,
        body: {
          count: 1,
          meta: { count: 1, page_count: 1, page_number: 1, page_size: 200 },
          results: [{ key: 'user_group_memberships', id: '12' }],
          user_group_memberships: { '12': { user_id: 'not-a-number', workspace_group_id: 501 } },
        },
      },
    });
    const error = await rejectionOf(gateway.listMemberships({ groupId }));
    expect(error).toMatchObject({ code: 'kantata_bad_response' });
    expect((error as Error).message).toContain('user_group_memberships.12.user_id');
  });

  it('throws kantata_bad_response when meta is missing from a list page', async () => {
    fake.misbehave({ path: '/workspace_groups', action: { status: 200, body: { results: [] } } });
    const error = await rejectionOf(gateway.listAllGroups());
    expect(error).toMatchObject({ code: 'kantata_bad_response' });
    expect((error as Error).message).toContain('meta');
  });

  it('throws kantata_bad_response for a body that is not JSON', async () => {
    fake.misbehave({ path: '/users/me', action: { status: 200, body: '<html>maintenance</html>' } });
    const error = await rejectionOf(gateway.getMe());
    expect(error).toMatchObject({ code: 'kantata_bad_response' });
  });

  describe('the token never appears in an error', () => {
    it('not when Kantata echoes it back in an error message', async () => {
      fake.misbehave({
        path: '/users/me',
        action: {
          status: 422,
          body: { errors: [{ type: 'validation', message: `token ${SECRET} is odd` }] },
        },
      });
      const error = await rejectionOf(gateway.getMe());
      expect(error).toMatchObject({ code: 'kantata_validation' });
      expect((error as KantataError).kantataMessage).toContain('[redacted]');
      expect(dumpError(error)).not.toContain(SECRET);
    });

    it('not after a connection reset (network error with a cause chain)', async () => {
      fake.misbehave({ method: 'POST', action: 'reset' });
      const error = await rejectionOf(client.post('/user_group_memberships', { user_group_memberships: [] }));
      expect(error).toMatchObject({ code: 'kantata_unavailable' });
      expect((error as Error).cause).toBeDefined();
      expect(dumpError(error)).not.toContain(SECRET);
    });

    it('not after a timeout', async () => {
      fake.misbehave({ action: 'hang' });
      const error = await rejectionOf(client.get('/users/me'));
      expect(error).toMatchObject({ code: 'kantata_timeout' });
      expect(dumpError(error)).not.toContain(SECRET);
    });

    it('not when the server cannot be reached', async () => {
      const closed = await startFakeKantata({ token: SECRET });
      const url = closed.url;
      await closed.close();
      const offline = createKantataClient({
        baseUrl: url,
        token: SECRET,
        concurrency: 1,
        retryBaseMs: 1,
        maxRetries: 1,
      });
      try {
        const error = await rejectionOf(offline.get('/users/me'));
        expect(error).toMatchObject({ code: 'kantata_unavailable' });
        expect(dumpError(error)).not.toContain(SECRET);
      } finally {
        await offline.close();
      }
    });

    it('not when the token itself is malformed (undici refuses the header)', async () => {
      const badToken = `${SECRET}\r\nx-injected: 1`;
      const broken = createKantataClient({
        baseUrl: fake.url,
        token: badToken,
        concurrency: 1,
        maxRetries: 0,
      });
      try {
        const error = await rejectionOf(broken.get('/users/me'));
        expect(error).toBeInstanceOf(KantataError);
        const dump = dumpError(error);
        expect(dump).not.toContain(SECRET);
        expect(dump).not.toContain(badToken);
      } finally {
        await broken.close();
      }
    });
  });
});
