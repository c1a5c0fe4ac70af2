import { createKantataClient, createKantataGateway, type KantataClient } from '../../../src/kantata/index.js';
import {
  createMembershipService,
  type MembershipServiceDeps,
} from '../../../src/membership/membership-service.js';
import type { IdentityLink, IdentityLinkStore, KantataGateway } from '../../../src/membership/ports.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';

/** Client deadline: generous, so that a loaded test machine never looks like a slow Kantata. */
export const TEST_TIMEOUT_MS = 5_000;
/** Deadline for tests where Kantata hangs on purpose: short, so that each hang costs little. */
export const HANG_TIMEOUT_MS = 1_000;

export type Stack = {
  fake: FakeKantata;
  client: KantataClient;
  gateway: KantataGateway;
  close(): Promise<void>;
};

/** A fake Kantata server and the real client and gateway on it, with test-sized timings. */
export async function startStack(options: { timeoutMs?: number } = {}): Promise<Stack> {
  const fake = await startFakeKantata();
  const client = createKantataClient({
    baseUrl: fake.url,
    token: fake.token,
    concurrency: 4,
    timeoutMs: options.timeoutMs ?? TEST_TIMEOUT_MS,
    retryBaseMs: 5,
    maxBackoffMs: 20,
  });
  const gateway = createKantataGateway(client);
  return {
    fake,
    client,
    gateway,
    close: async () => {
      await client.close();
      await fake.close();
    },
  };
}

/** For tests where Kantata hangs on purpose: a fresh stack whose client gives up after HANG_TIMEOUT_MS. */
export async function restartWithShortDeadline(stack: Stack): Promise<Stack> {
  await stack.close();
  return startStack({ timeoutMs: HANG_TIMEOUT_MS });
}

export function serviceOn(stack: Stack, overrides: Partial<MembershipServiceDeps> = {}) {
  return createMembershipService({ kantata: stack.gateway, maxPeoplePerChange: 1000, ...overrides });
}

/** The people (user ids) of each bulk POST the fake received, in arrival order. */
export function postedBatches(fake: FakeKantata): string[][] {
  return fake.requests
    .filter((r) => r.method === 'POST' && r.path === '/user_group_memberships')
    .map((r) =>
      ((r.body as { user_group_memberships: { user_id: number }[] }).user_group_memberships ?? []).map((e) =>
        String(e.user_id),
      ),
    );
}

export function memoryLinks(): IdentityLinkStore & { all: Map<string, IdentityLink> } {
  const all = new Map<string, IdentityLink>();
  return {
    all,
    getLink: async (id) => all.get(id) ?? null,
    setLink: async (link) => void all.set(link.slackUserId, link),
    removeLink: async (id) => all.delete(id),
  };
}
