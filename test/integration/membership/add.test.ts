import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersonRef } from '../../../src/membership/types.js';
import { countOutcomes } from '../../unit/membership/count-outcomes.js';
import { postedBatches, restartWithShortDeadline, type Stack, serviceOn, startStack } from './support.js';

const byEmail = (people: { email: string }[]): PersonRef[] =>
  people.map((p) => ({ kind: 'email', email: p.email }));

describe('adding people over HTTP (real client and gateway, fake Kantata)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('adds 250 people in 3 POSTs', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(250);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail(people));
    expect(plan.toChange).toHaveLength(250);
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 250 });
    expect(postedBatches(fake).map((b) => b.length)).toEqual([100, 100, 50]);
    expect(
      fake
        .memberships(group.id)
        .map((m) => m.userId)
        .sort(),
    ).toEqual(people.map((p) => p.id).sort());
  });

  it('adds 1,000 people in 10 POSTs with several in flight, never more than the client allows', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Everyone');
    const people = fake.addUsers(1000);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail(people));
    fake.setLatency(20);
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 1000 });
    expect(postedBatches(fake)).toHaveLength(10);
    expect(fake.maxInFlight).toBeGreaterThan(1);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
    expect(fake.memberships(group.id)).toHaveLength(1000);
  });

  it('adds everyone else when Kantata refuses one person, and reports Kantata’s message', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(120);
    const refused = people[42]!;
    fake.refuseUser(refused.id, 'Punch clock users cannot join workspace groups');
    const service = serviceOn(stack);
    const report = await service.applyPlan(await service.planAdd(group, byEmail(people)));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 119, failed: 1 });
    expect(report.outcomes.find((o) => o.outcome === 'failed')).toMatchObject({
      user: { id: refused.id },
      reason: 'Punch clock users cannot join workspace groups',
    });
    const members = new Set(fake.memberships(group.id).map((m) => m.userId));
    expect(members.size).toBe(119);
    expect(members.has(refused.id)).toBe(false);
  });

  it('does not repeat a POST that Kantata applied before the client gave up waiting', async () => {
    stack = await restartWithShortDeadline(stack);
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(150);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail(people));
    fake.resetRequests();
    fake.misbehave({ method: 'POST', path: '/user_group_memberships', action: 'hang_after_apply' });
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 150 });
    const posted = postedBatches(fake).flat();
    expect(posted.sort()).toEqual(people.map((p) => p.id).sort());
    const memberships = fake.memberships(group.id);
    expect(memberships).toHaveLength(150);
    expect(new Set(memberships.map((m) => m.userId)).size).toBe(150);
  });

  it('reads again and posts once more after a connection reset before Kantata acted', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(40);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail(people));
    fake.resetRequests();
    fake.misbehave({ method: 'POST', path: '/user_group_memberships', action: 'reset' });
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 40 });
    const batches = postedBatches(fake);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual(batches[0]);
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.path === '/user_group_memberships');
    expect(reads).toHaveLength(2);
    expect(fake.memberships(group.id)).toHaveLength(40);
  });

  it('posts only the missing people after a reset on a POST that Kantata did apply', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(30);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail(people));
    fake.resetRequests();
    fake.misbehave({ method: 'POST', path: '/user_group_memberships', action: 'reset_after_apply' });
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 30 });
    expect(postedBatches(fake)).toHaveLength(1);
    expect(fake.memberships(group.id)).toHaveLength(30);
  });

  it('reports already-members in the preview and at apply time', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const [ann, bob, cid] = fake.addUsers(3);
    fake.addMembership(ann!.id, group.id);
    const service = serviceOn(stack);
    const plan = await service.planAdd(group, byEmail([ann!, bob!, cid!]));
    expect(plan.unchanged.map((u) => u.id)).toEqual([ann!.id]);
    expect(plan.toChange.map((u) => u.id)).toEqual([bob!.id, cid!.id]);
    // Someone adds Cid in Kantata between the preview and the apply.
    fake.addMembership(cid!.id, group.id);
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(report.outcomes.map((o) => [o.user.id, o.outcome])).toEqual([
      [bob!.id, 'added'],
      [cid!.id, 'already_member'],
    ]);
    expect(postedBatches(fake)).toEqual([[bob!.id]]);
  });

  it('stops with the reason after a 401 and keeps what was already added', async () => {
    const { fake } = stack;
    const group = fake.addGroup('Design');
    const people = fake.addUsers(300);
    const service = serviceOn(stack, { batchConcurrency: 1 });
    const plan = await service.planAdd(group, byEmail(people));
    fake.misbehave({
      method: 'POST',
      path: '/user_group_memberships',
      nth: 2,
      times: 10,
      action: { status: 401, body: { errors: [{ type: 'oauth', message: 'Invalid OAuth 2 Request' }] } },
    });
    fake.resetRequests();
    const report = await service.applyPlan(plan);
    expect(countOutcomes(report.outcomes)).toEqual({ added: 100, failed: 200 });
    expect(report.outcomes[299]?.reason).toBe('Invalid OAuth 2 Request');
    expect(postedBatches(fake)).toHaveLength(2);
    expect(fake.memberships(group.id)).toHaveLength(100);
  });
});
