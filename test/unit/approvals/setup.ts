import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChangeService, createChangeService } from '../../../src/approvals/change-service.js';
import type { OwnershipCheck } from '../../../src/approvals/change-service-deps.js';
import type { ActingUser, ApprovalPolicy } from '../../../src/approvals/policy.js';
import type { Store } from '../../../src/approvals/ports.js';
import { type ChangeAuditEntry, isChangeAudit } from '../../../src/approvals/types.js';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import type { Group, KantataUser, PersonRef } from '../../../src/membership/types.js';
import { openFileStore } from '../../../src/store/lowdb/file-store.js';
import { createMemoryKantataGateway, type MemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';
import { createTestClock, type TestClock } from '../../fakes/test-clock.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

export type World = {
  kantata: MemoryKantataGateway;
  store: Store;
  clock: TestClock;
  changes: ChangeService;
  design: Group;
  /** Kantata users to add or remove. */
  people: KantataUser[];
  admin: ActingUser;
  otherAdmin: ActingUser;
  member: ActingUser;
  guest: ActingUser;
  refs(users: KantataUser[]): PersonRef[];
  /** The whole audit log, oldest first. */
  /** The change rows of the audit log (these worlds link nobody). */
  auditLog(): Promise<ChangeAuditEntry[]>;
  /** A new change service over the same store and Kantata (a restarted bot, another replica). */
  restart(opts?: { policy?: ApprovalPolicy }): ChangeService;
  close(): Promise<void>;
};

/**
 * The change service over the real membership core, an in-memory Kantata and the real file store in a
 * temporary directory, with a clock the test moves by hand.
 */
export async function createWorld(
  opts: { policy?: ApprovalPolicy; people?: number; owners?: OwnershipCheck } = {},
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'change-service-'));
  const clock = createTestClock('2026-11-26T10:00:00.000Z');
  const store = await openFileStore(join(dir, 'store.json'), { clock, log: { warn: () => {} } });
  const kantata = createMemoryKantataGateway();
  const design = kantata.addGroup('Design');
  const people = kantata.addUsers(opts.people ?? 3);
  const adminUser = kantata.addUser({ name: 'Ada Admin', email: 'ada@example.com', isAdministrator: true });
  const otherUser = kantata.addUser({ name: 'Otto Admin', email: 'otto@example.com', isAdministrator: true });
  const memberUser = kantata.addUser({ name: 'Mia Member', email: 'mia@example.com' });
  const acting = (slackUserId: string, user: KantataUser, extra: Partial<ActingUser> = {}): ActingUser => ({
    actor: { slackUserId, kantataUserId: user.id, name: user.name },
    isAdmin: user.isAdministrator,
    isGuest: false,
    ...extra,
  });
  const membership = createMembershipService({
    kantata,
    maxPeoplePerChange: 1000,
    now: () => clock.now().getTime(),
  });
  const build = (policy: ApprovalPolicy = opts.policy ?? 'admins-direct') =>
    createChangeService({
      membership,
      store,
      clock,
      policy,
      requestTtlMs: 7 * DAY,
      undoWindowMs: 15 * MINUTE,
      ...(opts.owners ? { owners: opts.owners } : {}),
    });

  return {
    kantata,
    store,
    clock,
    changes: build(),
    design,
    people,
    admin: acting('UADA', adminUser),
    otherAdmin: acting('UOTTO', otherUser),
    member: acting('UMIA', memberUser),
    guest: { actor: { slackUserId: 'UGUEST' }, isAdmin: false, isGuest: true },
    refs: (users) => users.map((u) => ({ kind: 'email', email: u.email })),
    async auditLog() {
      const entries: ChangeAuditEntry[] = [];
      for await (const entry of store.exportAudit({})) if (isChangeAudit(entry)) entries.push(entry);
      return entries;
    },
    restart: (o = {}) => build(o.policy),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
