import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createWorld, DAY, type World } from './setup.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

async function pendingRequest(people = world.people) {
  const { changes, member, design } = world;
  const preview = await changes.previewChange({
    by: member,
    action: 'add',
    group: design,
    people: world.refs(people),
    reason: 'New joiners',
  });
  return changes.requestChange(preview.id, member);
}

describe('requests', () => {
  it('a request is pending until REQUEST_TTL, and its request is audited with the requester', async () => {
    const request = await pendingRequest();
    expect(request.status).toBe('pending');
    expect(request.expiresAt).toBe(new Date(world.clock.now().getTime() + 7 * DAY).toISOString());
    const [entry] = await world.auditLog();
    expect(entry).toMatchObject({
      event: 'requested',
      actor: { slackUserId: 'UMIA' },
      action: 'add',
      groupId: world.design.id,
      groupName: 'Design',
      reason: 'New joiners',
      changeId: request.id,
      requestId: request.id,
    });
  });

  it('a request cannot be requested twice', async () => {
    const request = await pendingRequest();
    await expect(world.changes.requestChange(request.id, world.member)).rejects.toMatchObject({
      code: 'change_already_decided',
      detail: { status: 'pending' },
    });
  });
});

describe('approve', () => {
  it('applies the request for the requester, and audits approval and outcome with the approver', async () => {
    const request = await pendingRequest();
    const { change, report } = await world.changes.approveRequest(request.id, world.admin);
    expect(change.status).toBe('applied');
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['added', 'added', 'added']);
    expect(world.kantata.memberIds(world.design.id).sort()).toEqual(world.people.map((p) => p.id).sort());

    const log = await world.auditLog();
    expect(log.map((e) => e.event)).toEqual(['requested', 'approved', 'applied']);
    for (const entry of log.slice(1)) {
      expect(entry.actor.slackUserId).toBe('UMIA');
      expect(entry.approver?.slackUserId).toBe('UADA');
      expect(entry.requestId).toBe(request.id);
    }
    expect(log[2]!.outcomes.map((o) => [o.email, o.outcome])).toEqual(
      world.people.map((p) => [p.email, 'added']),
    );
  });

  it('plans again at approval: someone who became a member meanwhile is not posted again', async () => {
    const request = await pendingRequest();
    const [first, ...others] = world.people;
    world.kantata.addMembership(first!.id, world.design.id);
    const { report } = await world.changes.approveRequest(request.id, world.admin);
    const byId = new Map(report.outcomes.map((o) => [o.user.id, o.outcome]));
    expect(byId.get(first!.id)).toBe('already_member');
    for (const p of others) expect(byId.get(p.id)).toBe('added');
    const posted = world.kantata.callsOf('createMemberships') as { userIds: string[] }[];
    expect(posted.flatMap((c) => c.userIds)).not.toContain(first!.id);
  });

  it('keeps people already members at request time in the report', async () => {
    const [first] = world.people;
    world.kantata.addMembership(first!.id, world.design.id);
    const request = await pendingRequest();
    const { report } = await world.changes.approveRequest(request.id, world.admin);
    expect(report.outcomes).toHaveLength(world.people.length);
    expect(report.outcomes.find((o) => o.user.id === first!.id)?.outcome).toBe('already_member');
  });

  it('refuses a non-administrator and leaves the request pending', async () => {
    const request = await pendingRequest();
    const stranger = { ...world.member, actor: { slackUserId: 'USTRANGER', kantataUserId: '999' } };
    await expect(world.changes.approveRequest(request.id, stranger)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    expect((await world.changes.getChange(request.id)).status).toBe('pending');
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
  });

  it('refuses self-approval, also through a second Slack account linked to the same Kantata user', async () => {
    const request = await pendingRequest();
    const requesterAsAdmin = { ...world.member, isAdmin: true };
    await expect(world.changes.approveRequest(request.id, requesterAsAdmin)).rejects.toMatchObject({
      code: 'self_approval_forbidden',
    });
    const secondAccount = { ...requesterAsAdmin, actor: { ...world.member.actor, slackUserId: 'UMIA2' } };
    await expect(world.changes.approveRequest(request.id, secondAccount)).rejects.toMatchObject({
      code: 'self_approval_forbidden',
    });
    expect((await world.changes.getChange(request.id)).status).toBe('pending');
  });

  it('of two simultaneous approvals exactly one applies; the other is told who won', async () => {
    const request = await pendingRequest();
    const results = await Promise.allSettled([
      world.changes.approveRequest(request.id, world.admin),
      world.changes.approveRequest(request.id, world.otherAdmin),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (await world.changes.getChange(request.id)).decidedBy;
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect(lost[0]!.reason).toMatchObject({ code: 'change_already_decided', detail: { decidedBy: winner } });
    expect(world.kantata.callsOf('createMemberships')).toHaveLength(1);
    expect((await world.auditLog()).filter((e) => e.event === 'approved')).toHaveLength(1);
  });

  it('an approval racing a denial ends one way, consistently', async () => {
    const request = await pendingRequest();
    const [approve, deny] = await Promise.allSettled([
      world.changes.approveRequest(request.id, world.admin),
      world.changes.denyRequest(request.id, world.otherAdmin, 'not now'),
    ]);
    expect([approve.status, deny.status].sort()).toEqual(['fulfilled', 'rejected']);
    const final = await world.changes.getChange(request.id);
    const events = (await world.auditLog()).map((e) => e.event);
    if (approve.status === 'fulfilled') {
      expect(final.status).toBe('applied');
      expect(events).toEqual(['requested', 'approved', 'applied']);
    } else {
      expect(final.status).toBe('denied');
      expect(events).toEqual(['requested', 'denied']);
      expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    }
  });

  it('calls onApproved before applying, and a failing hook does not stop the apply', async () => {
    const request = await pendingRequest();
    const seen: string[] = [];
    const { change } = await world.changes.approveRequest(request.id, world.admin, {
      onApproved(approved) {
        seen.push(approved.status);
        throw new Error('Slack is down');
      },
    });
    expect(seen).toEqual(['approved']);
    expect(change.status).toBe('applied');
  });

  it('when Kantata cannot be read at approval, nothing is applied and the failure is recorded per person', async () => {
    const request = await pendingRequest();
    world.kantata.fail({
      op: 'findUsersByIds',
      error: new AppError('kantata_unavailable', 'Service Unavailable'),
      times: 10,
    });
    world.kantata.fail({
      op: 'listMemberships',
      error: new AppError('kantata_unavailable', 'Service Unavailable'),
      times: 10,
    });
    await expect(world.changes.approveRequest(request.id, world.admin)).rejects.toMatchObject({
      code: 'kantata_unavailable',
    });
    const failed = await world.changes.getChange(request.id);
    expect(failed.status).toBe('failed');
    expect(failed.report?.outcomes.every((o) => o.outcome === 'failed')).toBe(true);
    const log = await world.auditLog();
    expect(log.map((e) => e.event)).toEqual(['requested', 'approved', 'failed']);
    expect(log[2]!.outcomes[0]?.reason).toContain('Service Unavailable');
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
  });
});

describe('deny and cancel', () => {
  it('a denial records the approver and the reason; a later approval is told it was denied, by whom', async () => {
    const request = await pendingRequest();
    const denied = await world.changes.denyRequest(
      request.id,
      world.admin,
      'Use the *Design-2* group, please',
    );
    expect(denied).toMatchObject({ status: 'denied', decisionReason: 'Use the *Design-2* group, please' });
    const log = await world.auditLog();
    expect(log.at(-1)).toMatchObject({
      event: 'denied',
      approver: { slackUserId: 'UADA' },
      reason: 'Use the *Design-2* group, please',
      requestId: request.id,
    });
    await expect(world.changes.approveRequest(request.id, world.otherAdmin)).rejects.toMatchObject({
      code: 'change_already_decided',
      detail: { status: 'denied', decidedBy: { slackUserId: 'UADA' } },
    });
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
  });

  it('the requester cannot deny their own request, and a non-administrator cannot deny', async () => {
    const request = await pendingRequest();
    await expect(
      world.changes.denyRequest(request.id, { ...world.member, isAdmin: true }),
    ).rejects.toMatchObject({
      code: 'self_approval_forbidden',
    });
    const stranger = { ...world.member, actor: { slackUserId: 'USTRANGER' } };
    await expect(world.changes.denyRequest(request.id, stranger)).rejects.toMatchObject({
      code: 'not_authorized',
    });
  });

  it('only the requester withdraws a pending request; it is audited and cannot be approved afterwards', async () => {
    const request = await pendingRequest();
    await expect(world.changes.cancelChange(request.id, world.admin)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    const cancelled = await world.changes.cancelChange(request.id, world.member);
    expect(cancelled.status).toBe('cancelled');
    expect((await world.auditLog()).at(-1)).toMatchObject({ event: 'cancelled', requestId: request.id });
    await expect(world.changes.approveRequest(request.id, world.admin)).rejects.toMatchObject({
      code: 'change_already_decided',
      detail: { status: 'cancelled' },
    });
  });

  it('cancelling a mere preview writes no audit row', async () => {
    const preview = await world.changes.previewChange({
      by: world.member,
      action: 'add',
      group: world.design,
      people: world.refs(world.people),
    });
    await world.changes.cancelChange(preview.id, world.member);
    expect(await world.auditLog()).toEqual([]);
  });

  it('an unknown id is change_not_found', async () => {
    await expect(world.changes.approveRequest('nope', world.admin)).rejects.toMatchObject({
      code: 'change_not_found',
    });
  });
});
