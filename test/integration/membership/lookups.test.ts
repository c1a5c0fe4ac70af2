import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/membership/errors.js';
import { type Stack, serviceOn, startStack } from './support.js';

describe('groups, members and people over HTTP (real client and gateway, fake Kantata)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('finds a group by exact name regardless of case, and by id', async () => {
    const { fake } = stack;
    const design = fake.addGroup('Design Team');
    fake.addGroup('Design Team Leads');
    const service = serviceOn(stack);
    expect(await service.findGroup({ kind: 'name', name: 'design  team' })).toEqual(design);
    expect(await service.findGroup({ kind: 'id', id: design.id })).toEqual(design);
  });

  it('answers an unknown group with the closest names', async () => {
    const { fake } = stack;
    for (const name of ['Design Team', 'Design Ops', 'Engineering', 'Finance']) fake.addGroup(name);
    const service = serviceOn(stack);
    const error = (await service
      .findGroup({ kind: 'name', name: 'Desgin Team' })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('group_not_found');
    expect(error.detail).toEqual({ query: 'Desgin Team', suggestions: ['Design Team'] });
    const byId = (await service.findGroup({ kind: 'id', id: '99999' }).catch((e: unknown) => e)) as AppError;
    expect(byId.code).toBe('group_not_found');
  });

  it('serves type-ahead from one cached read of all groups', async () => {
    const { fake } = stack;
    for (const name of ['Product Design', 'Design Team', 'Sales', 'Design Ops']) fake.addGroup(name);
    const service = serviceOn(stack);
    fake.resetRequests();
    expect((await service.searchGroups('des')).map((g) => g.name)).toEqual([
      'Design Ops',
      'Design Team',
      'Product Design',
    ]);
    expect((await service.searchGroups('sal')).map((g) => g.name)).toEqual(['Sales']);
    expect(fake.requests.filter((r) => r.path === '/workspace_groups')).toHaveLength(1);
  });

  it('lists a large group’s members by name, page by page', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Everyone');
    const people = fake.addUsers(450, 'member');
    fake.addMembers(
      group.id,
      [...people].reverse().map((p) => p.id),
    );
    const service = serviceOn(stack);
    const page = await service.listMembers(group.id, { page: 2, pageSize: 20 });
    expect(page.total).toBe(450);
    expect(page.pageCount).toBe(23);
    expect(page.members.map((m) => m.name)).toEqual(Array.from({ length: 20 }, (_, i) => `member ${21 + i}`));
  });

  it('reports a disabled user, an unknown email and an invalid id as unresolved', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    fake.addUser({ email: 'gone@example.com', disabled: true });
    const ann = fake.addUser({ email: 'ann@example.com', name: 'Ann' });
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, [
      { kind: 'email', email: 'GONE@example.com' },
      { kind: 'email', email: 'nobody@example.com' },
      { kind: 'kantata_id', id: '123456' },
      { kind: 'email', email: 'ann@example.com' },
    ]);
    expect(plan.toChange.map((u) => u.id)).toEqual([ann.id]);
    expect(plan.unresolved.map((u) => [u.label, u.reason])).toEqual([
      ['GONE@example.com', 'disabled'],
      ['nobody@example.com', 'no_kantata_user'],
      ['id:123456', 'no_kantata_user'],
    ]);
  });

  it('refuses to guess when an email matches two Kantata users', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    // The fake keeps emails unique, so Kantata's answer with two matches is scripted.
    const twin = (id: string, membershipId: string) => ({
      id,
      full_name: `Twin ${id}`,
      email_address: 'twin@example.com',
      account_membership_id: membershipId,
    });
    const membership = (id: string) => ({
      id,
      is_administrator: false,
      permission: 'collaborator',
      disabled_at: null,
    });
    fake.misbehave({
      method: 'GET',
      path: '/users',
      action: {
        status: 200,
        body: {
          count: 2,
          meta: { count: 2, page_count: 1, page_number: 1, page_size: 200 },
          results: [
            { key: 'users', id: '801' },
            { key: 'users', id: '802' },
          ],
          users: { '801': twin('801', '71'), '802': twin('802', '72') },
          account_memberships: { '71': membership('71'), '72': membership('72') },
        },
      },
    });
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, [{ kind: 'email', email: 'twin@example.com' }]);
    expect(plan.toChange).toEqual([]);
    expect(plan.unresolved).toMatchObject([{ label: 'twin@example.com', reason: 'several_matches' }]);
  });

  it('refuses a change naming more people than allowed, before asking Kantata anything', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(6);
    const service = serviceOn(stack, { maxPeoplePerChange: 5 });
    fake.resetRequests();
    await expect(
      service.planAdd(
        group,
        people.map((p) => ({ kind: 'email', email: p.email })),
      ),
    ).rejects.toMatchObject({ code: 'too_many_people', detail: { max: 5 } });
    expect(fake.requests).toEqual([]);
  });

  it('checks that the bot’s token belongs to an active administrator', async () => {
    const { fake } = stack;
    const service = serviceOn(stack);
    expect((await service.checkBotIsAdministrator()).id).toBe(fake.ownerId);
    const plain = fake.addUser({ email: 'plain@example.com', name: 'Plain' });
    fake.setTokenOwner(plain.id);
    await expect(service.checkBotIsAdministrator()).rejects.toMatchObject({ code: 'bot_not_administrator' });
  });
});
