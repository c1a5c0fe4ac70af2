import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KantataGateway } from '../../../src/membership/ports.js';
import { countOutcomes } from '../../unit/membership/count-outcomes.js';
import { restartWithShortDeadline, type Stack, serviceOn, startStack } from './support.js';

describe('removing people over HTTP (real client and gateway, fake Kantata)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  const deletes = () => stack.fake.requests.filter((r) => r.method === 'DELETE');

  it('removes members with one DELETE each and reports non-members', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const other = fake.addGroup('Sales');
    const people = fake.addUsers(6);
    fake.addMembers(
      group.id,
      people.slice(0, 5).map((p) => p.id),
    );
    fake.addMembership(people[0]!.id, other.id);
    const service = serviceOn(stack);
    const plan = await service.planRemove(
      group,
      people.map((p) => ({ kind: 'email', email: p.email })),
    );
    expect(plan.toChange).toHaveLength(5);
    expect(plan.unchanged.map((u) => u.id)).toEqual([people[5]!.id]);
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 5 });
    expect(deletes()).toHaveLength(5);
    expect(fake.memberships(group.id)).toEqual([]);
    expect(fake.memberships(other.id).map((m) => m.userId)).toEqual([people[0]!.id]);
  });

  it('counts a membership deleted by someone else just before its DELETE (404) as removed', async () => {
    const { fake, gateway } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(3);
    const memberships = fake.addMembers(
      group.id,
      people.map((p) => p.id),
    );
    const vanishing = memberships[1]!.id;
    let race = false;
    // Another admin deletes one membership right after the apply has read the membership ids.
    const racing: KantataGateway = {
      ...gateway,
      listMemberships: async (query) => {
        const rows = await gateway.listMemberships(query);
        if (race) {
          race = false;
          await gateway.deleteMembership(vanishing);
        }
        return rows;
      },
    };
    const service = serviceOn(stack, { kantata: racing });
    const plan = await service.planRemove(
      group,
      people.map((p) => ({ kind: 'kantata_id', id: p.id })),
    );
    race = true;
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 3 });
    const onVanishing = deletes().filter((r) => r.path === `/user_group_memberships/${vanishing}`);
    expect(onVanishing.map((r) => r.status)).toEqual([204, 404]);
    expect(fake.memberships(group.id)).toEqual([]);
  });

  it('reports someone removed between the preview and the apply as not a member', async () => {
    const { fake, gateway } = stack;
    const group = fake.addGroup('Design');
    const [ann, bob] = fake.addUsers(2);
    const [annMembership] = fake.addMembers(group.id, [ann!.id, bob!.id]);
    const service = serviceOn(stack);
    const plan = await service.planRemove(group, [
      { kind: 'email', email: ann!.email },
      { kind: 'email', email: bob!.email },
    ]);
    await gateway.deleteMembership(annMembership!.id);
    const report = await service.applyPlan(plan);
    expect(report.outcomes.map((o) => [o.user.id, o.outcome])).toEqual([
      [ann!.id, 'not_member'],
      [bob!.id, 'removed'],
    ]);
  });

  it('removes a disabled user, whom it would not add', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const gone = fake.addUser({ email: 'gone@example.com', name: 'Gone', disabled: true });
    fake.addMembership(gone.id, group.id);
    const service = serviceOn(stack);
    const addPlan = await service.planAdd(group, [{ kind: 'email', email: 'gone@example.com' }]);
    expect(addPlan.unresolved).toMatchObject([{ label: 'gone@example.com', reason: 'disabled' }]);
    const plan = await service.planRemove(group, [{ kind: 'email', email: 'gone@example.com' }]);
    expect(plan.toChange.map((u) => u.id)).toEqual([gone.id]);
    expect(countOutcomes((await service.applyPlan(plan)).outcomes)).toEqual({ removed: 1 });
    expect(fake.memberships(group.id)).toEqual([]);
  });

  it('settles a DELETE whose answer was lost by reading back', async () => {
    stack = await restartWithShortDeadline(stack);
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(2);
    fake.addMembers(
      group.id,
      people.map((p) => p.id),
    );
    const service = serviceOn(stack);
    const plan = await service.planRemove(
      group,
      people.map((p) => ({ kind: 'kantata_id', id: p.id })),
    );
    fake.misbehave({ method: 'DELETE', path: /^\/user_group_memberships\//, action: 'hang_after_apply' });
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 2 });
    expect(fake.memberships(group.id)).toEqual([]);
  });
});
