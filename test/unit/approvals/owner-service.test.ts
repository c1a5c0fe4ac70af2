import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOwnerService } from '../../../src/approvals/owners/owner-service.js';
import type { OwnersMay } from '../../../src/approvals/owners/types.js';
import type { Store } from '../../../src/approvals/ports.js';
import { openFileStore } from '../../../src/store/lowdb/file-store.js';
import { createTestClock } from '../../fakes/test-clock.js';

const admin = { actor: { slackUserId: 'UADMIN', name: 'Ada' }, isAdmin: true, isGuest: false };
const person = (id: string) => ({ actor: { slackUserId: id }, isAdmin: false, isGuest: false });
const design = { id: '1', name: 'Design' };

describe('the owner service (core)', () => {
  let dir: string;
  let store: Store;
  let members: Record<string, string[] | Error>;
  let failures: string[];
  let n = 0;
  const service = (ownersMay: OwnersMay = 'approve') =>
    createOwnerService({
      store,
      ownersMay,
      clock: createTestClock('2026-12-01T10:00:00.000Z'),
      newId: () => `id${++n}`,
      directory: {
        membersOf: async (id) => {
          const found = members[id];
          if (found instanceof Error) throw found;
          return found ?? [];
        },
      },
      onLookupFailure: (id) => failures.push(id),
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'owners-'));
    store = await openFileStore(join(dir, 'store.json'), { log: { warn: () => {} } });
    members = { SLEADS: ['ULEE', 'UKIM'] };
    failures = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, reports what was already there, removes; only administrators', async () => {
    const owners = service();
    const first = await owners.changeOwners(admin, {
      group: design,
      action: 'add',
      owners: [
        { kind: 'person', id: 'UANN' },
        { kind: 'people_group', id: 'SLEADS' },
      ],
    });
    expect(first.changed.map((o) => o.id)).toEqual(['UANN', 'SLEADS']);
    const again = await owners.changeOwners(admin, {
      group: design,
      action: 'add',
      owners: [{ kind: 'person', id: 'UANN' }],
    });
    expect(again).toMatchObject({ changed: [], unchanged: [{ id: 'UANN' }] });
    await expect(
      owners.changeOwners(person('UANN'), {
        group: design,
        action: 'remove',
        owners: [{ kind: 'person', id: 'UANN' }],
      }),
    ).rejects.toMatchObject({ code: 'not_authorized', detail: { reason: 'admins_only_owners' } });
    const removed = await owners.changeOwners(admin, {
      group: design,
      action: 'remove',
      owners: [{ kind: 'person', id: 'UANN' }],
    });
    expect(removed.owners.map((o) => o.id)).toEqual(['SLEADS']);
    // One audit row per change that changed something; the no-op wrote none.
    expect((await store.listAudit({ groupId: '1' })).map((a) => a.event)).toEqual([
      'owners_changed',
      'owners_changed',
    ]);
  });

  it('ownership: directly, through a user group, not for others; none when owners are off; fails closed', async () => {
    await service().changeOwners(admin, {
      group: design,
      action: 'add',
      owners: [
        { kind: 'person', id: 'UANN' },
        { kind: 'people_group', id: 'SLEADS' },
      ],
    });
    const owners = service('apply');
    expect(await owners.ownerPower(person('UANN'), '1')).toBe('apply');
    expect(await owners.ownerPower(person('ULEE'), '1')).toBe('apply');
    expect(await owners.ownerPower(person('UBOB'), '1')).toBeNull();
    expect(await owners.ownerPower(person('ULEE'), '2')).toBeNull();
    expect([...(await owners.ownedGroupIds(person('UKIM')))]).toEqual(['1']);
    expect((await owners.currentOwners('1')).sort()).toEqual(['UANN', 'UKIM', 'ULEE']);
    expect(await service('none').ownerPower(person('UANN'), '1')).toBeNull();
    expect(await service('none').currentOwners('1')).toEqual([]);
    expect(await owners.ownerPower({ ...person('UANN'), isGuest: true }, '1')).toBeNull();

    members.SLEADS = new Error('Slack is down');
    expect(await owners.ownerPower(person('ULEE'), '1')).toBeNull();
    expect(failures).toContain('SLEADS');
    expect(await owners.ownerPower(person('UANN'), '1')).toBe('apply');
  });
});
