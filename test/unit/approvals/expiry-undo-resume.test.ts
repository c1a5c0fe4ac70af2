import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createWorld, DAY, MINUTE, type World } from './setup.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

async function pendingRequest() {
  const { changes, member, design, people } = world;
  const preview = await changes.previewChange({
    by: member,
    action: 'add',
    group: design,
    people: world.refs(people),
  });
  return changes.requestChange(preview.id, member);
}

async function appliedByAdmin() {
  const { changes, admin, design, people } = world;
  const preview = await changes.previewChange({
    by: admin,
    action: 'add',
    group: design,
    people: world.refs(people),
  });
  return (await changes.apply(preview.id, admin)).change;
}

describe('expiry', () => {
  it('expires requests past REQUEST_TTL exactly once, with an audit row', async () => {
    const request = await pendingRequest();
    world.clock.advance(7 * DAY - 1);
    expect(await world.changes.expireOverdue()).toEqual([]);
    world.clock.advance(1);
    const expired = await world.changes.expireOverdue();
    expect(expired.map((c) => [c.id, c.status])).toEqual([[request.id, 'expired']]);
    expect(await world.changes.expireOverdue()).toEqual([]);
    expect((await world.auditLog()).map((e) => e.event)).toEqual(['requested', 'expired']);
  });

  it('a request that expired while the bot was stopped expires at the next start', async () => {
    const request = await pendingRequest();
    world.clock.advance(30 * DAY);
    const restarted = world.restart();
    expect((await restarted.expireOverdue()).map((c) => c.id)).toEqual([request.id]);
  });

  it('approving an overdue request before the sweep expires it instead, audited once', async () => {
    const request = await pendingRequest();
    world.clock.advance(8 * DAY);
    await expect(world.changes.approveRequest(request.id, world.admin)).rejects.toMatchObject({
      code: 'change_expired',
    });
    await expect(world.changes.denyRequest(request.id, world.admin)).rejects.toMatchObject({
      code: 'change_already_decided',
      detail: { status: 'expired' },
    });
    expect((await world.changes.getChange(request.id)).status).toBe('expired');
    expect(await world.changes.expireOverdue()).toEqual([]);
    expect((await world.auditLog()).map((e) => e.event)).toEqual(['requested', 'expired']);
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
  });

  it('two sweeps at once (two replicas) expire a request once', async () => {
    await pendingRequest();
    world.clock.advance(8 * DAY);
    const [a, b] = await Promise.all([world.changes.expireOverdue(), world.restart().expireOverdue()]);
    expect(a.length + b.length).toBe(1);
    expect((await world.auditLog()).filter((e) => e.event === 'expired')).toHaveLength(1);
  });
});

describe('undo', () => {
  it('an administrator undoes an applied change within UNDO_WINDOW through a preview of the inverse', async () => {
    const original = await appliedByAdmin();
    world.clock.advance(10 * MINUTE);
    const undo = await world.changes.previewUndo(original.id, world.otherAdmin);
    expect(undo).toMatchObject({ status: 'previewed', action: 'remove', undoOf: original.id });
    expect(undo.plan.toChange.map((u) => u.id).sort()).toEqual(world.people.map((p) => p.id).sort());
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(world.people.length);

    const { change } = await world.changes.applyUndo(undo.id, world.otherAdmin);
    expect(change.status).toBe('applied');
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    expect((await world.changes.getChange(original.id)).undoneBy).toBe(undo.id);
    const last = (await world.auditLog()).at(-1)!;
    expect(last).toMatchObject({
      event: 'applied',
      action: 'remove',
      changeId: undo.id,
      actor: { slackUserId: 'UOTTO' },
    });
    expect(last.requestId).toBeUndefined();
  });

  it('a failed undo (every DELETE refused) can be tried again, and then undoes the change once', async () => {
    const original = await appliedByAdmin();
    const undo = await world.changes.previewUndo(original.id, world.admin);
    world.kantata.fail({
      op: 'deleteMembership',
      error: new AppError('kantata_forbidden', 'Not allowed today'),
      times: world.people.length,
    });
    const first = await world.changes.applyUndo(undo.id, world.admin);
    expect(first.change.status).toBe('failed');
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(world.people.length);
    expect((await world.changes.getChange(original.id)).undoneBy).toBeUndefined();

    const again = await world.changes.previewUndo(original.id, world.admin);
    const second = await world.changes.applyUndo(again.id, world.admin);
    expect(second.change.status).toBe('applied');
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    expect((await world.changes.getChange(original.id)).undoneBy).toBe(again.id);
    await expect(world.changes.previewUndo(original.id, world.admin)).rejects.toMatchObject({
      detail: { status: 'undone' },
    });
  });

  it('only administrators undo', async () => {
    const original = await appliedByAdmin();
    await expect(world.changes.previewUndo(original.id, world.member)).rejects.toMatchObject({
      code: 'not_authorized',
    });
  });

  it('after UNDO_WINDOW the undo is refused, also when the window closes between preview and apply', async () => {
    const original = await appliedByAdmin();
    world.clock.advance(14 * MINUTE);
    const undo = await world.changes.previewUndo(original.id, world.admin);
    world.clock.advance(2 * MINUTE);
    await expect(world.changes.applyUndo(undo.id, world.admin)).rejects.toMatchObject({
      code: 'undo_window_passed',
    });
    await expect(world.changes.previewUndo(original.id, world.admin)).rejects.toMatchObject({
      code: 'undo_window_passed',
    });
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(world.people.length);
  });

  it('a change is undone once: two undo previews, one applies', async () => {
    const original = await appliedByAdmin();
    const first = await world.changes.previewUndo(original.id, world.admin);
    const second = await world.changes.previewUndo(original.id, world.otherAdmin);
    await world.changes.applyUndo(first.id, world.admin);
    await expect(world.changes.applyUndo(second.id, world.otherAdmin)).rejects.toMatchObject({
      code: 'change_already_decided',
      detail: { status: 'undone' },
    });
    await expect(world.changes.previewUndo(original.id, world.admin)).rejects.toMatchObject({
      code: 'change_already_decided',
    });
    await expect(world.changes.applyUndo(first.id, world.admin)).rejects.toMatchObject({
      code: 'change_already_decided',
    });
    expect(world.kantata.callsOf('deleteMembership')).toHaveLength(world.people.length);
  });

  it('undo works under four-eyes, where administrators otherwise cannot apply directly', async () => {
    const original = await appliedByAdmin();
    const fourEyes = world.restart({ policy: 'four-eyes' });
    const undo = await fourEyes.previewUndo(original.id, world.admin);
    expect((await fourEyes.applyUndo(undo.id, world.admin)).change.status).toBe('applied');
  });

  it('a change that is not applied cannot be undone', async () => {
    const request = await pendingRequest();
    await expect(world.changes.previewUndo(request.id, world.admin)).rejects.toMatchObject({
      code: 'change_not_found',
    });
  });
});

describe('resumeInterrupted', () => {
  it('finishes a change cut off while applying, without posting again what the journal holds', async () => {
    const { changes, store, admin, design, people } = world;
    const preview = await changes.previewChange({
      by: admin,
      action: 'add',
      group: design,
      people: world.refs(people),
    });
    const [done, ...rest] = preview.plan.toChange;
    await store.transitionChange(preview.id, ['previewed'], 'applying', { appliedBy: admin.actor });
    world.kantata.addMembership(done!.id, design.id);
    await store.appendOutcomes(preview.id, [{ user: done!, outcome: 'added' }]);

    const [finished] = await world.restart().resumeInterrupted();
    expect(finished?.change.status).toBe('applied');
    expect(finished?.report.outcomes.map((o) => o.outcome)).toEqual(['added', 'added', 'added']);
    const posted = (world.kantata.callsOf('createMemberships') as { userIds: string[] }[]).flatMap(
      (c) => c.userIds,
    );
    expect(posted.sort()).toEqual(rest.map((u) => u.id).sort());
    expect((await world.auditLog()).at(-1)?.event).toBe('recovered');
  });

  it('finishes an approval cut off before it was applied', async () => {
    const request = await pendingRequest();
    await world.store.transitionChange(request.id, ['pending'], 'approved', {
      decidedBy: world.admin.actor,
      decidedAt: world.clock.now().toISOString(),
    });
    const [finished] = await world.restart().resumeInterrupted();
    expect(finished?.change).toMatchObject({ status: 'applied', decidedBy: { slackUserId: 'UADA' } });
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(world.people.length);
  });

  it('one change that cannot be finished does not hold up the others', async () => {
    const first = await pendingRequest();
    const second = await pendingRequest();
    for (const c of [first, second]) {
      await world.store.transitionChange(c.id, ['pending'], 'approved', { decidedBy: world.admin.actor });
    }
    // One failed read: the first change cannot be planned again, the second can.
    world.kantata.fail({ op: 'listMemberships', error: new AppError('kantata_unavailable', 'down') });
    const errors: string[] = [];
    const finished = await world.restart().resumeInterrupted({ onError: (id) => errors.push(id) });
    expect(errors).toHaveLength(1);
    expect(finished).toHaveLength(1);
    expect(finished[0]?.change.status).toBe('applied');
  });

  it('without onError, finishes the others and then throws', async () => {
    const first = await pendingRequest();
    const second = await pendingRequest();
    for (const c of [first, second]) {
      await world.store.transitionChange(c.id, ['pending'], 'approved', { decidedBy: world.admin.actor });
    }
    world.kantata.fail({ op: 'listMemberships', error: new AppError('kantata_unavailable', 'down') });
    await expect(world.restart().resumeInterrupted()).rejects.toBeInstanceOf(AggregateError);
    const statuses = [
      (await world.changes.getChange(first.id)).status,
      (await world.changes.getChange(second.id)).status,
    ];
    expect(statuses.sort()).toEqual(['applied', 'failed']);
  });

  it('with nothing interrupted it does nothing', async () => {
    await appliedByAdmin();
    expect(await world.restart().resumeInterrupted()).toEqual([]);
  });
});

describe('leases: a change has one owner at a time', () => {
  async function applyingWithLeaseOf(owner: string) {
    const { changes, store, admin, design, people, clock } = world;
    const preview = await changes.previewChange({
      by: admin,
      action: 'add',
      group: design,
      people: world.refs(people),
    });
    const now = clock.now().getTime();
    await store.transitionChange(preview.id, ['previewed'], 'applying', {
      appliedBy: admin.actor,
      lease: { owner, until: new Date(now + 30_000).toISOString(), renewedAt: new Date(now).toISOString() },
    });
    return preview;
  }

  it('another process does not take over a change whose lease is live (a rolling start)', async () => {
    await applyingWithLeaseOf('replica-1');
    expect(await world.restart().resumeInterrupted()).toEqual([]);
    expect(world.kantata.callsOf('createMemberships')).toHaveLength(0);
  });

  it('takes it over once the lease has expired, continues from what Kantata holds, once', async () => {
    const change = await applyingWithLeaseOf('replica-1');
    const [first] = change.plan.toChange;
    world.kantata.addMembership(first!.id, world.design.id);
    world.clock.advance(30_001);
    const [a, b] = [world.restart(), world.restart()];
    const [fromA, fromB] = await Promise.all([a.resumeInterrupted(), b.resumeInterrupted()]);
    expect(fromA.length + fromB.length).toBe(1);
    const posted = (world.kantata.callsOf('createMemberships') as { userIds: string[] }[]).flatMap(
      (c) => c.userIds,
    );
    expect(posted).not.toContain(first!.id);
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(world.people.length);
    expect((await world.auditLog()).filter((e) => e.event === 'recovered')).toHaveLength(1);
  });

  it('a change being applied carries the applier’s lease', async () => {
    const { changes, admin, design, people } = world;
    const preview = await changes.previewChange({
      by: admin,
      action: 'add',
      group: design,
      people: world.refs(people),
    });
    const { change } = await changes.apply(preview.id, admin);
    expect(change.lease?.owner).toMatch(/^process-/);
  });
});

describe('storage failing in the middle of an apply', () => {
  it('tells what Kantata holds, leaves the change to be settled, and settles it once the store is back', async () => {
    const { changes, store, admin, design, people } = world;
    const preview = await changes.previewChange({
      by: admin,
      action: 'add',
      group: design,
      people: world.refs(people),
    });
    const append = store.appendOutcomes.bind(store);
    store.appendOutcomes = async () => {
      throw new AppError('store_unavailable', 'disk full');
    };
    const error = await changes.apply(preview.id, admin).catch((e: unknown) => e);
    store.appendOutcomes = append;
    expect(error).toMatchObject({
      code: 'store_unavailable',
      detail: { done: people.length, total: people.length },
    });
    expect((await store.getChange(preview.id))?.status).toBe('applying');

    // The lease lapses (nobody renews it while the store is down); a takeover settles the change.
    world.clock.advance(31_000);
    const [settled] = await world.restart().resumeInterrupted();
    expect(settled?.change.status).toBe('applied');
    expect(world.kantata.callsOf('createMemberships')).toHaveLength(1);
    expect((await world.auditLog()).map((e) => e.event)).toEqual(['recovered']);
  });
});
