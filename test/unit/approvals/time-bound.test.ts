import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPIRY_ACTOR } from '../../../src/approvals/expiry/types.js';
import { AppError } from '../../../src/membership/errors.js';
import type { KantataUser } from '../../../src/membership/types.js';
import { createWorld, DAY, HOUR, MINUTE, type World } from './setup.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

async function addFor(people: KantataUser[], ms: number, by = world.admin) {
  const preview = await world.changes.previewChange({
    by,
    action: 'add',
    group: world.design,
    people: world.refs(people),
    term: { kind: 'for', ms },
  });
  return { preview, applied: by.isAdmin ? await world.changes.apply(preview.id, by) : undefined };
}

const deletes = () => world.kantata.callsOf('deleteMembership').length;

describe('time-bound memberships: the whole flow with a controllable clock', () => {
  it('add --for 7d → reminder at day 6 → Extend 7 days → nothing at day 7 → removed at day 14', async () => {
    const start = world.clock.now().getTime();
    const { preview, applied } = await addFor(world.people, 7 * DAY);
    expect(preview.term).toEqual({ kind: 'for', ms: 7 * DAY });
    expect(applied?.change.status).toBe('applied');
    const ends = await world.store.listEnds({ groupId: world.design.id });
    expect(ends.map((e) => e.endsAt)).toEqual(world.people.map(() => iso(start + 7 * DAY)));
    expect(ends[0]).toMatchObject({ addedBy: { slackUserId: 'UADA' }, setBy: preview.id });
    const log = await world.auditLog();
    expect(log.at(-1)).toMatchObject({ event: 'applied', endsAt: iso(start + 7 * DAY) });

    world.clock.advance(5 * DAY + 23 * HOUR);
    expect(await world.changes.claimDueReminders()).toEqual([]);
    world.clock.advance(2 * HOUR);
    const reminders = await world.changes.claimDueReminders();
    expect(reminders.map((r) => r.userId).sort()).toEqual(world.people.map((p) => p.id).sort());
    await world.changes.markReminded(reminders);
    expect(await world.changes.claimDueReminders()).toEqual([]);

    // Extend 7 days, clicked by an administrator: applied at once, the end moves on from the current one.
    const targets = await world.changes.extendableEnds({ groupId: world.design.id, setBy: preview.id });
    expect(targets).toHaveLength(3);
    const extension = await world.changes.previewChange({
      by: world.admin,
      action: 'add',
      group: world.design,
      people: targets.map((e) => ({ kind: 'kantata_id', id: e.userId })),
      term: { kind: 'extend', ms: 7 * DAY },
    });
    expect(Object.values(extension.currentEnds ?? {})).toEqual(world.people.map(() => iso(start + 7 * DAY)));
    await world.changes.apply(extension.id, world.admin);
    expect((await world.store.listEnds({})).map((e) => e.endsAt)).toEqual(
      world.people.map(() => iso(start + 14 * DAY)),
    );

    world.clock.set(iso(start + 7 * DAY + MINUTE));
    expect(await world.changes.endDue()).toEqual([]);
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(3);

    world.clock.set(iso(start + 14 * DAY));
    const [ended, ...more] = await world.changes.endDue();
    expect(more).toEqual([]);
    expect(ended?.change).toMatchObject({
      status: 'applied',
      action: 'remove',
      requestedBy: EXPIRY_ACTOR,
      expiry: { dueAt: iso(start + 14 * DAY) },
      notification: { status: 'pending' },
    });
    expect(ended?.change.expiry?.ends[0]).toMatchObject({ addedBy: { slackUserId: 'UADA' } });
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    expect(await world.store.listEnds({})).toEqual([]);
    expect((await world.auditLog()).at(-1)).toMatchObject({
      event: 'applied',
      action: 'remove',
      actor: EXPIRY_ACTOR,
    });
    // Nothing is due twice.
    expect(await world.changes.endDue()).toEqual([]);
    expect(deletes()).toBe(3);
  });

  it('a request --for approved two days later counts from the approval', async () => {
    const start = world.clock.now().getTime();
    const { preview } = await addFor(world.people.slice(0, 1), 7 * DAY, world.member);
    await world.changes.requestChange(preview.id, world.member);
    expect((await world.auditLog()).at(-1)).toMatchObject({ event: 'requested', durationMs: 7 * DAY });
    world.clock.advance(2 * DAY);
    await world.changes.approveRequest(preview.id, world.admin);
    const [end] = await world.store.listEnds({});
    expect(end).toMatchObject({ endsAt: iso(start + 9 * DAY), approvedBy: { slackUserId: 'UADA' } });
  });

  it('--until is absolute; a permanent member stays permanent; a temporary one gets the new end', async () => {
    const [permanent, temporary, fresh] = world.people as [KantataUser, KantataUser, KantataUser];
    world.kantata.addMembership(permanent.id, world.design.id);
    const start = world.clock.now().getTime();
    await addFor([temporary], 3 * DAY);
    const until = iso(start + 10 * DAY);
    const preview = await world.changes.previewChange({
      by: world.admin,
      action: 'add',
      group: world.design,
      people: world.refs([permanent, temporary, fresh]),
      term: { kind: 'until', at: until },
    });
    expect(preview.plan.unchanged.map((u) => u.id).sort()).toEqual([permanent.id, temporary.id].sort());
    expect(preview.currentEnds).toEqual({ [temporary.id]: iso(start + 3 * DAY) });
    world.clock.advance(HOUR);
    await world.changes.apply(preview.id, world.admin);
    const ends = await world.store.listEnds({});
    expect(ends.map((e) => [e.userId, e.endsAt]).sort()).toEqual(
      [
        [temporary.id, until],
        [fresh.id, until],
      ].sort(),
    );
    // The first add's time and adder are kept when the end moves.
    expect(ends.find((e) => e.userId === temporary.id)?.addedAt).toBe(iso(start));
    world.clock.set(iso(start + 11 * DAY));
    await world.changes.endDue();
    expect(world.kantata.memberIds(world.design.id)).toEqual([permanent.id]);
  });

  it('a later permanent add drops the end; remove of a temporary member drops it too', async () => {
    const [a, b] = world.people as [KantataUser, KantataUser];
    await addFor([a, b], 2 * DAY);
    const permanent = await world.changes.previewChange({
      by: world.admin,
      action: 'add',
      group: world.design,
      people: world.refs([a]),
    });
    expect(permanent.currentEnds).toHaveProperty(a.id);
    await world.changes.apply(permanent.id, world.admin);
    const removal = await world.changes.previewChange({
      by: world.admin,
      action: 'remove',
      group: world.design,
      people: world.refs([b]),
    });
    await world.changes.apply(removal.id, world.admin);
    expect(await world.store.listEnds({})).toEqual([]);
    world.clock.advance(3 * DAY);
    expect(await world.changes.endDue()).toEqual([]);
    expect(world.kantata.memberIds(world.design.id)).toEqual([a.id]);
  });

  it('undo of a temporary add removes the people and their ends; an ended access has no undo', async () => {
    const { applied } = await addFor(world.people, DAY);
    const undo = await world.changes.previewUndo(applied!.change.id, world.admin);
    await world.changes.apply(undo.id, world.admin);
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    expect(await world.store.listEnds({})).toEqual([]);

    await addFor(world.people, DAY);
    world.clock.advance(DAY);
    const [ended] = await world.changes.endDue();
    await expect(world.changes.previewUndo(ended!.change.id, world.admin)).rejects.toMatchObject({
      code: 'not_authorized',
      detail: { reason: 'access_ended' },
    });
  });

  it('someone removed by hand before the end is not removed again (counts as done)', async () => {
    const [gone] = world.people as [KantataUser];
    await addFor(world.people, DAY);
    world.kantata.dropMembership(gone.id, world.design.id);
    world.clock.advance(DAY);
    const [ended] = await world.changes.endDue();
    expect(ended?.report.outcomes.find((o) => o.user.id === gone.id)?.outcome).toBe('not_member');
    expect(deletes()).toBe(2);
    expect(await world.store.listEnds({})).toEqual([]);
  });

  it('a person re-added by hand (a new membership id) is still removed: the record says the bot added them', async () => {
    const [again] = world.people as [KantataUser];
    await addFor([again], DAY);
    world.kantata.dropMembership(again.id, world.design.id);
    world.kantata.addMembership(again.id, world.design.id);
    world.clock.advance(DAY);
    await world.changes.endDue();
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
  });

  it('Kantata failing during a due removal: retried at the next sweep, never lost, reported once repeated', async () => {
    await addFor(world.people, DAY);
    world.clock.advance(DAY);
    const down = new AppError('kantata_unavailable', 'Kantata is down', { status: 503 });
    world.kantata.fail({ op: 'listMemberships', error: down, times: 3 });
    const first = await world.changes.endDue();
    expect(first[0]?.change.status).toBe('failed');
    // Not announced yet: a first failure is retried quietly.
    expect(first[0]?.change.notification).toBeUndefined();
    expect((await world.store.listEnds({}))[0]).toMatchObject({ failures: 1, lastError: 'Kantata is down' });
    const second = await world.changes.endDue();
    expect(second[0]?.change.notification).toBeUndefined();
    const third = await world.changes.endDue();
    expect(third[0]?.change).toMatchObject({ status: 'failed', notification: { status: 'pending' } });
    expect(third[0]?.change.expiry?.ends[0]?.failures).toBe(2);
    const fourth = await world.changes.endDue();
    expect(fourth[0]?.change.status).toBe('applied');
    expect(world.kantata.memberIds(world.design.id)).toEqual([]);
    expect(await world.store.listEnds({})).toEqual([]);
  });

  it('1,000 memberships due at once are one change for the group', async () => {
    const many = world.kantata.addUsers(1000, 'many');
    await addFor(many, HOUR);
    world.clock.advance(HOUR);
    const ended = await world.changes.endDue();
    expect(ended).toHaveLength(1);
    expect(ended[0]?.report.outcomes.filter((o) => o.outcome === 'removed')).toHaveLength(1000);
    expect(deletes()).toBe(1000);
    expect(await world.store.countEnds({})).toBe(0);
  });

  it('two change services over one store (two sweeps at once) remove each person once', async () => {
    await addFor(world.people, HOUR);
    world.clock.advance(HOUR);
    const other = world.restart();
    const [a, b] = await Promise.all([world.changes.endDue(), other.endDue()]);
    expect(a.length + b.length).toBe(1);
    expect(deletes()).toBe(3);
  });

  it('refuses bad terms in the core too: remove, too short, too long, a past date', async () => {
    const preview = (
      action: 'add' | 'remove',
      term: Parameters<World['changes']['previewChange']>[0]['term'],
    ) =>
      world.changes.previewChange({
        by: world.admin,
        action,
        group: world.design,
        people: world.refs(world.people),
        term,
      });
    await expect(preview('remove', { kind: 'for', ms: DAY })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(preview('add', { kind: 'for', ms: 1000 })).rejects.toMatchObject({
      detail: { reason: 'too_short' },
    });
    await expect(preview('add', { kind: 'for', ms: 400 * DAY })).rejects.toMatchObject({
      detail: { reason: 'too_long' },
    });
    await expect(
      preview('add', { kind: 'until', at: iso(world.clock.now().getTime() - 1) }),
    ).rejects.toMatchObject({
      detail: { reason: 'past_date' },
    });
  });
});
