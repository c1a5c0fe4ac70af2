import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import type { PersonRef } from '../../../src/membership/types.js';
import { createWorld, type World } from './setup.js';

let world: World;
beforeEach(async () => {
  world = await createWorld({ people: 8 });
});
afterEach(async () => {
  await world.close();
});

const source = { key: 'usergroup:S1', label: '@design-team' };

/** People 0–3 are members; the source names 2–5: 4 and 5 join, 0 and 1 leave, 2 and 3 stay. */
function seed() {
  const { kantata, design, people } = world;
  for (const u of people.slice(0, 4)) kantata.addMembership(u.id, design.id);
  return world.refs(people.slice(2, 6));
}

function previewSync(refs: PersonRef[], addOnly = false, by = world.admin) {
  return world.changes.previewChange({
    by,
    action: 'sync',
    group: world.design,
    people: refs,
    sync: { source, addOnly },
  });
}

const ids = (users: { id: string }[]) => users.map((u) => u.id).sort();

describe('a sync', () => {
  it('previews both directions and applies them as one change, with one audit row naming everyone', async () => {
    const { people, design, kantata } = world;
    const preview = await previewSync(seed());
    expect(ids(preview.plan.toChange)).toEqual(ids(people.slice(4, 6)));
    expect(ids(preview.plan.toRemove ?? [])).toEqual(ids(people.slice(0, 2)));
    expect(ids(preview.plan.unchanged)).toEqual(ids(people.slice(2, 4)));
    expect(preview.syncSource).toEqual(source);

    const { change, report } = await world.changes.apply(preview.id, world.admin);
    expect(change.status).toBe('applied');
    expect(kantata.memberIds(design.id).sort()).toEqual(ids(people.slice(2, 6)));
    const outcome = (kind: string) =>
      ids(report.outcomes.filter((o) => o.outcome === kind).map((o) => o.user));
    expect(outcome('added')).toEqual(ids(people.slice(4, 6)));
    expect(outcome('removed')).toEqual(ids(people.slice(0, 2)));
    expect(outcome('already_member')).toEqual(ids(people.slice(2, 4)));
    const rows = (await world.auditLog()).filter((r) => r.changeId === change.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.action).toBe('sync');
    expect(rows[0]?.outcomes).toHaveLength(6);
    expect(change.notification?.status).toBe('pending');
  });

  it('--add-only removes nobody, and keeps those not in the source', async () => {
    const preview = await previewSync(seed(), true);
    expect(preview.plan.toRemove).toEqual([]);
    expect(ids(preview.plan.kept ?? [])).toEqual(ids(world.people.slice(0, 2)));
    await world.changes.apply(preview.id, world.admin);
    expect(world.kantata.memberIds(world.design.id)).toHaveLength(6);
  });

  it('never removes someone because a source person could not be resolved', async () => {
    const { people } = world;
    const refs = seed();
    // A guest in the source whose email is member 0's: member 0 stays.
    const guest: PersonRef = { kind: 'unresolvable', label: 'Gus', reason: 'guest', email: people[0]!.email };
    const kept = await previewSync([...refs, guest]);
    expect(ids(kept.plan.toRemove ?? [])).toEqual(ids([people[1]!]));
    expect(ids(kept.plan.kept ?? [])).toEqual(ids([people[0]!]));
    // Someone Slack could not say anything about might be any member: nobody is removed.
    const unknown: PersonRef = { kind: 'unresolvable', label: 'U9', reason: 'unknown_slack_user' };
    const held = await previewSync([...refs, unknown]);
    expect(held.plan.toRemove).toEqual([]);
    expect(ids(held.plan.kept ?? [])).toEqual(ids(people.slice(0, 2)));
    expect(ids(held.plan.toChange)).toEqual(ids(people.slice(4, 6)));
  });

  it('Undo restores the group exactly as it was', async () => {
    const { design, kantata } = world;
    seed();
    const before = kantata.memberIds(design.id).sort();
    const preview = await previewSync(world.refs(world.people.slice(2, 6)));
    const { change } = await world.changes.apply(preview.id, world.admin);
    const undo = await world.changes.previewUndo(change.id, world.admin);
    expect(undo.action).toBe('sync');
    await world.changes.apply(undo.id, world.admin);
    expect(kantata.memberIds(design.id).sort()).toEqual(before);
    expect((await world.store.getChange(change.id))?.undoneBy).toBe(undo.id);
  });

  it('goes through a request and an approval like any change, planned again when approved', async () => {
    const { design, kantata, people } = world;
    const preview = await previewSync(seed(), false, world.member);
    expect(preview.allowed).toEqual({ canApply: false, canRequest: true });
    await world.changes.requestChange(preview.id, world.member);
    // Meanwhile someone else removed member 1 and added person 5 by hand.
    kantata.dropMembership(people[1]!.id, design.id);
    kantata.addMembership(people[5]!.id, design.id);
    const { change, report } = await world.changes.approveRequest(preview.id, world.admin);
    expect(change.status).toBe('applied');
    expect(kantata.memberIds(design.id).sort()).toEqual(ids(people.slice(2, 6)));
    expect(report.outcomes.filter((o) => o.outcome === 'added').map((o) => o.user.id)).toEqual([
      people[4]!.id,
    ]);
    expect(report.outcomes.filter((o) => o.outcome === 'removed').map((o) => o.user.id)).toEqual([
      people[0]!.id,
    ]);
  });

  it('holds the people it changes, not the source, to MAX_PEOPLE_PER_CHANGE', async () => {
    const many = world.kantata.addUsers(1001, 'crowd');
    await expect(previewSync(world.refs(many))).rejects.toMatchObject(
      new AppError('too_many_people', 'A change may name at most 1000 people.'),
    );
  });
});
