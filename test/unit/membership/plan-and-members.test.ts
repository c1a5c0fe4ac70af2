import { describe, expect, it } from 'vitest';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';

function setup(options: { memberPages?: boolean } = {}) {
  const kantata = createMemoryKantataGateway(options);
  const service = createMembershipService({ kantata, maxPeoplePerChange: 1000 });
  const group = kantata.addGroup('Design Team', '10');
  return { kantata, service, group };
}

describe('planAdd', () => {
  it('splits people into to-add, already members and unresolved', async () => {
    const { kantata, service, group } = setup();
    const ann = kantata.addUser({ id: '1', email: 'ann@example.com' });
    const bob = kantata.addUser({ id: '2', email: 'bob@example.com' });
    kantata.addUser({ id: '3', email: 'gone@example.com', disabled: true });
    kantata.addMembership('2', group.id);
    kantata.addMembership('1', '99');
    const plan = await service.planAdd(group, [
      { kind: 'email', email: 'ann@example.com' },
      { kind: 'email', email: 'bob@example.com' },
      { kind: 'email', email: 'gone@example.com' },
    ]);
    expect(plan).toEqual({
      action: 'add',
      group,
      toChange: [ann],
      unchanged: [bob],
      unresolved: [expect.objectContaining({ label: 'gone@example.com', reason: 'disabled' })],
    });
    expect(kantata.callsOf('listMemberships')).toEqual([{ groupId: '10', userIds: ['1', '2'] }]);
  });

  it('reads no memberships when nobody resolved', async () => {
    const { kantata, service, group } = setup();
    const plan = await service.planAdd(group, [{ kind: 'email', email: 'nobody@example.com' }]);
    expect(plan.toChange).toEqual([]);
    expect(kantata.callsOf('listMemberships')).toEqual([]);
  });
});

describe('planRemove', () => {
  it('plans removal of members, disabled ones included, and lists non-members as unchanged', async () => {
    const { kantata, service, group } = setup();
    const ann = kantata.addUser({ id: '1', email: 'ann@example.com' });
    const gone = kantata.addUser({ id: '3', email: 'gone@example.com', disabled: true });
    const bob = kantata.addUser({ id: '2', email: 'bob@example.com' });
    kantata.addMembership('1', group.id);
    kantata.addMembership('3', group.id);
    const plan = await service.planRemove(group, [
      { kind: 'email', email: 'ann@example.com' },
      { kind: 'kantata_id', id: '3' },
      { kind: 'email', email: 'bob@example.com' },
    ]);
    expect(plan.toChange).toEqual([ann, gone]);
    expect(plan.unchanged).toEqual([bob]);
    expect(plan.unresolved).toEqual([]);
  });
});

describe('listMembers', () => {
  for (const memberPages of [true, false]) {
    it(`pages members sorted by name (${memberPages ? 'streamed' : 'one read'})`, async () => {
      const { kantata, service, group } = setup({ memberPages });
      const names = ['zoe', 'Adam', 'mia', 'Bea', 'Carl', 'dan', 'Eve'];
      for (const [i, name] of names.entries()) {
        kantata.addUser({ id: String(i + 1), name, email: `${name}@example.com` });
        kantata.addMembership(String(i + 1), group.id);
      }
      kantata.addUser({ id: '50', name: 'Other', email: 'other@example.com' });
      kantata.addMembership('50', '99');
      const first = await service.listMembers(group.id, { page: 1, pageSize: 3 });
      expect(first.members.map((m) => m.name)).toEqual(['Adam', 'Bea', 'Carl']);
      expect({ total: first.total, page: first.page, pageCount: first.pageCount }).toEqual({
        total: 7,
        page: 1,
        pageCount: 3,
      });
      const last = await service.listMembers(group.id, { page: 3, pageSize: 3 });
      expect(last.members.map((m) => m.name)).toEqual(['zoe']);
      const beyond = await service.listMembers(group.id, { page: 9, pageSize: 3 });
      expect(beyond.members).toEqual([]);
    });
  }

  it('pages a group of 5,000 through the streamed pages', async () => {
    const { kantata, service, group } = setup();
    for (const user of kantata.addUsers(5000)) kantata.addMembership(user.id, group.id);
    const page = await service.listMembers(group.id, { page: 250, pageSize: 20 });
    expect(page.total).toBe(5000);
    expect(page.pageCount).toBe(250);
    expect(page.members.map((m) => m.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `person ${String(4981 + i).padStart(4, '0')}`),
    );
  });

  it('says an empty group has one empty page', async () => {
    const { service, group } = setup();
    expect(await service.listMembers(group.id, { page: 1, pageSize: 20 })).toEqual({
      members: [],
      total: 0,
      page: 1,
      pageCount: 1,
    });
  });
});
