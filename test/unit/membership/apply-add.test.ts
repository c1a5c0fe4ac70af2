import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import type { ApplyProgress, KantataUser, PersonOutcome, Plan } from '../../../src/membership/types.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';
import { countOutcomes } from './count-outcomes.js';

function setup() {
  const kantata = createMemoryKantataGateway();
  const service = createMembershipService({ kantata, maxPeoplePerChange: 1000 });
  const group = kantata.addGroup('Design Team', '10');
  const addPlan = (toChange: KantataUser[]): Plan => ({
    action: 'add',
    group,
    toChange,
    unchanged: [],
    unresolved: [],
  });
  return { kantata, service, group, addPlan };
}

const posted = (calls: unknown[]) => calls.flatMap((c) => (c as { userIds: string[] }).userIds);
const timeout = () => new AppError('kantata_timeout', 'Kantata did not answer within 10 s');

describe('applyPlan (add)', () => {
  it('adds 250 people in three bulk POSTs and reports each, in the order of the plan', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(250);
    const report = await service.applyPlan(addPlan(people));
    expect(report.outcomes.map((o) => o.user.id)).toEqual(people.map((p) => p.id));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 250 });
    expect(kantata.callsOf('createMemberships').map((c) => posted([c]).length)).toEqual([100, 100, 50]);
    expect(kantata.memberIds(group.id).sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('reports people who became members since the preview as already members, and posts only the rest', async () => {
    const { kantata, service, group, addPlan } = setup();
    const [ann, bob] = kantata.addUsers(2);
    kantata.addMembership(bob!.id, group.id);
    const report = await service.applyPlan(addPlan([ann!, bob!]));
    expect(report.outcomes).toEqual([
      { user: ann, outcome: 'added' },
      { user: bob, outcome: 'already_member' },
    ]);
    expect(posted(kantata.callsOf('createMemberships'))).toEqual([ann!.id]);
  });

  it('counts existing memberships as added when resuming an interrupted change', async () => {
    const { kantata, service, group, addPlan } = setup();
    const [ann, bob] = kantata.addUsers(2);
    kantata.addMembership(ann!.id, group.id);
    const report = await service.applyPlan(addPlan([ann!, bob!]), { resume: true });
    expect(countOutcomes(report.outcomes)).toEqual({ added: 2 });
  });

  it('isolates the person Kantata refuses and adds everyone else', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(100);
    kantata.refuseUser(people[37]!.id, 'User cannot be added to this group');
    const report = await service.applyPlan(addPlan(people));
    expect(report.outcomes[37]).toEqual({
      user: people[37],
      outcome: 'failed',
      reason: 'User cannot be added to this group',
    });
    expect(countOutcomes(report.outcomes)).toEqual({ added: 99, failed: 1 });
    expect(kantata.memberIds(group.id)).toHaveLength(99);
    // Binary splitting: about 2·log2(100) POSTs, not 100.
    expect(kantata.callsOf('createMemberships').length).toBeLessThanOrEqual(15);
  });

  it('reports someone added by another hand in the meantime (a refused duplicate) as already a member', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(5);
    const sneaky = people[2]!;
    // Between the fresh read and the POST, an admin adds one of them in Kantata's UI.
    const original = kantata.listMemberships;
    let reads = 0;
    kantata.listMemberships = async (query) => {
      const rows = await original(query);
      reads += 1;
      if (reads === 1) kantata.addMembership(sneaky.id, group.id);
      return rows;
    };
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 4, already_member: 1 });
    expect(report.outcomes[2]).toEqual({ user: sneaky, outcome: 'already_member' });
  });

  it('stops at once when the group has been deleted, instead of splitting', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(100);
    kantata.removeGroup(group.id);
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ failed: 100 });
    expect(report.outcomes[0]?.reason).toMatch(/no longer exists/);
    expect(kantata.callsOf('createMemberships')).toHaveLength(1);
  });

  it('does not repeat a POST that Kantata applied before its answer was lost', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(150);
    kantata.fail({ op: 'createMemberships', error: timeout(), afterApply: true });
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 150 });
    expect(kantata.callsOf('createMemberships')).toHaveLength(2);
    expect(posted(kantata.callsOf('createMemberships')).sort()).toEqual(people.map((p) => p.id).sort());
    expect(kantata.memberIds(group.id)).toHaveLength(150);
  });

  it('posts again, once, what a failed POST did not create', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(30);
    kantata.fail({ op: 'createMemberships', error: new AppError('kantata_unavailable', 'Connection reset') });
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 30 });
    expect(kantata.callsOf('createMemberships')).toHaveLength(2);
    expect(kantata.memberIds(group.id)).toHaveLength(30);
  });

  it('gives up after a couple of rounds and reports exactly who was not added', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(10);
    kantata.fail({
      op: 'createMemberships',
      error: new AppError('kantata_unavailable', 'Kantata answered 502'),
      times: 5,
    });
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ failed: 10 });
    expect(report.outcomes[0]?.reason).toBe('Kantata answered 502');
    expect(kantata.callsOf('createMemberships')).toHaveLength(3);
    expect(kantata.memberIds(group.id)).toEqual([]);
  });

  it('fails the rest after a fatal error but keeps what was already added', async () => {
    const { kantata, group, addPlan } = setup();
    const people = kantata.addUsers(300);
    kantata.fail({
      op: 'createMemberships',
      nth: 2,
      error: new AppError('kantata_unauthorized', 'Invalid OAuth 2 Request'),
    });
    const small = createMembershipService({ kantata, maxPeoplePerChange: 1000, batchConcurrency: 1 });
    const report = await small.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ added: 100, failed: 200 });
    expect(report.outcomes[150]?.reason).toBe('Invalid OAuth 2 Request');
    expect(kantata.callsOf('createMemberships')).toHaveLength(2);
    expect(kantata.memberIds(group.id)).toHaveLength(100);
  });

  it('reports everyone failed when the fresh read fails, without posting', async () => {
    const { kantata, service, addPlan } = setup();
    const people = kantata.addUsers(3);
    kantata.fail({
      op: 'listMemberships',
      error: new AppError('kantata_unauthorized', 'Invalid OAuth 2 Request'),
    });
    const report = await service.applyPlan(addPlan(people));
    expect(countOutcomes(report.outcomes)).toEqual({ failed: 3 });
    expect(kantata.callsOf('createMemberships')).toEqual([]);
  });

  it('journals every outcome once, never two writes at a time, and reports progress', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(230);
    kantata.addMembership(people[0]!.id, group.id);
    const batches: PersonOutcome[][] = [];
    const progress: ApplyProgress[] = [];
    let writing = 0;
    await service.applyPlan(addPlan(people), {
      onBatch: async (outcomes) => {
        writing += 1;
        expect(writing).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 1));
        batches.push(outcomes);
        writing -= 1;
      },
      onProgress: (p) => progress.push(p),
    });
    // Batches that finish while a write is under way are written together: at most one write a batch.
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(batches.flat()).toHaveLength(230);
    expect(new Set(batches.flat().map((o) => o.user.id)).size).toBe(230);
    expect(progress.at(-1)).toEqual({ done: 230, total: 230 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('finishes the change when the journal fails, then throws with the full report', async () => {
    const { kantata, service, group, addPlan } = setup();
    const people = kantata.addUsers(120);
    const error = await service
      .applyPlan(addPlan(people), {
        onBatch: () => {
          throw new Error('disk full');
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_unavailable' });
    const report = (error as AppError).detail.report as { outcomes: PersonOutcome[] };
    expect(countOutcomes(report.outcomes)).toEqual({ added: 120 });
    expect(kantata.memberIds(group.id)).toHaveLength(120);
  });

  it('ignores a failing progress callback', async () => {
    const { kantata, service, addPlan } = setup();
    const report = await service.applyPlan(addPlan(kantata.addUsers(2)), {
      onProgress: () => {
        throw new Error('Slack is down');
      },
    });
    expect(countOutcomes(report.outcomes)).toEqual({ added: 2 });
  });

  it('keeps several bulk POSTs in flight', async () => {
    const { kantata, service, addPlan } = setup();
    const original = kantata.createMemberships;
    let inFlight = 0;
    let most = 0;
    kantata.createMemberships = async (groupId, userIds) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return original(groupId, userIds);
    };
    await service.applyPlan(addPlan(kantata.addUsers(1000)));
    expect(most).toBeGreaterThan(1);
  });
});
