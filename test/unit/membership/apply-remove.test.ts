import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import type { KantataUser, Plan } from '../../../src/membership/types.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';
import { countOutcomes } from './count-outcomes.js';

function setup() {
  const kantata = createMemoryKantataGateway();
  const service = createMembershipService({ kantata, maxPeoplePerChange: 1000 });
  const group = kantata.addGroup('Design Team', '10');
  const removePlan = (toChange: KantataUser[]): Plan => ({
    action: 'remove',
    group,
    toChange,
    unchanged: [],
    unresolved: [{ label: 'x@example.com', reason: 'no_kantata_user' }],
  });
  const members = (count: number) => {
    const people = kantata.addUsers(count);
    for (const p of people) kantata.addMembership(p.id, group.id);
    return people;
  };
  return { kantata, service, group, removePlan, members };
}

describe('applyPlan (remove)', () => {
  it('deletes each membership and reports every person removed, with the plan’s unresolved', async () => {
    const { kantata, service, group, removePlan, members } = setup();
    const people = members(150);
    const other = kantata.addGroup('Other');
    kantata.addMembership(people[0]!.id, other.id);
    const report = await service.applyPlan(removePlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 150 });
    expect(report.outcomes.map((o) => o.user.id)).toEqual(people.map((p) => p.id));
    expect(report.unresolved).toEqual([{ label: 'x@example.com', reason: 'no_kantata_user' }]);
    expect(kantata.memberIds(group.id)).toEqual([]);
    expect(kantata.memberIds(other.id)).toEqual([people[0]!.id]);
    expect(kantata.callsOf('deleteMembership')).toHaveLength(150);
  });

  it('reports people who are no longer members as not members', async () => {
    const { kantata, service, group, removePlan, members } = setup();
    const [ann, bob] = members(2);
    kantata.dropMembership(bob!.id, group.id);
    const report = await service.applyPlan(removePlan([ann!, bob!]));
    expect(report.outcomes).toEqual([
      { user: ann, outcome: 'removed' },
      { user: bob, outcome: 'not_member' },
    ]);
  });

  it('counts them as removed when resuming an interrupted removal', async () => {
    const { kantata, service, group, removePlan, members } = setup();
    const [ann, bob] = members(2);
    kantata.dropMembership(bob!.id, group.id);
    const report = await service.applyPlan(removePlan([ann!, bob!]), { resume: true });
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 2 });
  });

  it('counts a membership that vanished between the read and the DELETE (404) as removed', async () => {
    const { kantata, service, removePlan, members } = setup();
    const people = members(3);
    kantata.fail({ op: 'deleteMembership', error: new AppError('kantata_not_found', 'Page Not Found') });
    const report = await service.applyPlan(removePlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 3 });
  });

  it('reports a refused DELETE as failed with Kantata’s message', async () => {
    const { kantata, service, group, removePlan, members } = setup();
    const people = members(3);
    kantata.fail({
      op: 'deleteMembership',
      nth: 2,
      error: new AppError('kantata_validation', 'Membership is locked'),
    });
    const report = await service.applyPlan(removePlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ removed: 2, failed: 1 });
    expect(report.outcomes.find((o) => o.outcome === 'failed')?.reason).toBe('Membership is locked');
    expect(kantata.memberIds(group.id)).toHaveLength(1);
  });

  it('settles a DELETE with an unknown outcome by reading back', async () => {
    const { kantata, service, removePlan, members } = setup();
    const [ann, bob] = members(2);
    kantata.fail({
      op: 'deleteMembership',
      afterApply: true,
      error: new AppError('kantata_timeout', 'No answer'),
    });
    kantata.fail({ op: 'deleteMembership', error: new AppError('kantata_timeout', 'No answer') });
    const report = await service.applyPlan(removePlan([ann!, bob!]));
    expect(report.outcomes).toEqual([
      { user: ann, outcome: 'removed' },
      { user: bob, outcome: 'failed', reason: 'No answer' },
    ]);
  });

  it('stops after a fatal error: later batches fail with the reason, earlier ones stay removed', async () => {
    const { kantata, service, group, removePlan, members } = setup();
    const people = members(250);
    kantata.fail({
      op: 'deleteMembership',
      nth: 150,
      times: 1000,
      error: new AppError('kantata_unauthorized', 'Invalid OAuth 2 Request'),
    });
    const report = await service.applyPlan(removePlan(people));
    const counts = countOutcomes(report.outcomes);
    expect(counts.removed).toBe(149);
    expect(counts.failed).toBe(101);
    expect(kantata.memberIds(group.id)).toHaveLength(101);
    expect(kantata.callsOf('deleteMembership')).toHaveLength(200);
  });

  it('journals batches of at most 100', async () => {
    const { service, removePlan, members } = setup();
    const sizes: number[] = [];
    await service.applyPlan(removePlan(members(205)), { onBatch: (o) => void sizes.push(o.length) });
    expect(sizes).toEqual([100, 100, 5]);
  });
});
