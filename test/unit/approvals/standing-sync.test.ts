import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceRead } from '../../../src/approvals/standing-sync/types.js';
import type { KantataUser } from '../../../src/membership/types.js';
import { createWorld, HOUR, type World } from './setup.js';

let world: World;
/** The Slack source as the transport would read it now: the test changes it between runs. */
let source: SourceRead;
const read = async () => source;
const from = (users: KantataUser[]): SourceRead => ({ ok: true, people: world.refs(users) });

beforeEach(async () => {
  world = await createWorld({ people: 30 });
});
afterEach(async () => {
  await world.close();
});

/** Sets up a standing sync the way an administrator does: a `--keep` sync, previewed and applied. */
async function keepInSync(users: KantataUser[], addOnly = false) {
  source = from(users);
  const preview = await world.changes.previewChange({
    by: world.admin,
    action: 'sync',
    group: world.design,
    people: world.refs(users),
    sync: { source: { key: 'usergroup:S1', label: '@team' }, addOnly, keep: true },
  });
  return world.changes.apply(preview.id, world.admin);
}

const members = () => world.kantata.memberIds(world.design.id).sort();
const ids = (users: KantataUser[]) => users.map((u) => u.id).sort();

describe('standing syncs', () => {
  it('follows a user group that gains 3 and loses 2 people between runs, once per SYNC_INTERVAL', async () => {
    const { people, changes, clock } = world;
    await keepInSync(people.slice(0, 10));
    expect(members()).toEqual(ids(people.slice(0, 10)));
    const [sync] = await changes.listStandingSyncs();
    expect(sync?.lastRun?.outcome).toBe('applied');

    source = from([...people.slice(2, 10), ...people.slice(10, 13)]);
    clock.advance(HOUR - 1);
    expect(await changes.runDueSyncs(read)).toEqual([]);
    clock.advance(1);
    const [run] = await changes.runDueSyncs(read);
    expect(run?.run).toMatchObject({ outcome: 'applied', added: 3, removed: 2 });
    expect(members()).toEqual(ids(people.slice(2, 13)));
    // The run is one change, announced like any other.
    expect(run?.applied?.change.notification?.status).toBe('pending');
    expect(run?.applied?.change.action).toBe('sync');
    // Once per interval: nothing more until the next hour; then nothing to change, nothing posted.
    expect(await changes.runDueSyncs(read)).toEqual([]);
    clock.advance(HOUR);
    const [quiet] = await changes.runDueSyncs(read);
    expect(quiet?.run.outcome).toBe('unchanged');
    expect(quiet?.applied).toBeUndefined();
  });

  it('brakes a run that would empty the group: nobody removed until Apply this run', async () => {
    const { people, changes, clock, admin } = world;
    await keepInSync(people.slice(0, 12));
    source = { ok: true, people: [] };
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    expect(run?.run.outcome).toBe('braked');
    expect(run?.braked?.status).toBe('pending');
    expect(run?.braked?.standingSync?.brake).toEqual({ reason: 'empty_source', removals: 12 });
    expect(members()).toHaveLength(12);
    // The next runs wait for the decision.
    clock.advance(HOUR);
    const [waiting] = await changes.runDueSyncs(read);
    expect(waiting?.run.outcome).toBe('waiting');
    expect(members()).toHaveLength(12);
    // Any administrator applies it (the bot asked, so nobody approves their own request).
    await changes.approveRequest(run!.braked!.id, admin);
    expect(members()).toEqual([]);
  });

  it('brakes more than SYNC_MAX_REMOVALS removals, and Skip it skips the run', async () => {
    const { people, changes, clock, admin } = world;
    await keepInSync(people.slice(0, 20));
    source = from(people.slice(0, 9));
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    expect(run?.braked?.standingSync?.brake).toEqual({ reason: 'too_many_removals', removals: 11 });
    await changes.denyRequest(run!.braked!.id, admin, 'Not today');
    expect(members()).toHaveLength(20);
    // After the skip the sync runs normally again (the group lost 11 people: still braked, a new card).
    clock.advance(HOUR);
    const [next] = await changes.runDueSyncs(read);
    expect(next?.run.outcome).toBe('braked');
    expect(next?.braked?.id).not.toBe(run?.braked?.id);
    // Ten removals pass the brake.
    source = from(people.slice(0, 10));
    await changes.denyRequest(next!.braked!.id, admin);
    clock.advance(HOUR);
    const [applied] = await changes.runDueSyncs(read);
    expect(applied?.run).toMatchObject({ outcome: 'applied', removed: 10 });
    expect(members()).toEqual(ids(people.slice(0, 10)));
  });

  it('holds a run whose source cannot be read, once; Apply this run reads it again at the click', async () => {
    const { people, changes, clock, admin } = world;
    await keepInSync(people.slice(0, 6));
    source = { ok: false, problem: 'unreadable', detail: 'Slack is not answering.' };
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    expect(run?.run).toMatchObject({ outcome: 'unreadable', detail: 'Slack is not answering.' });
    const held = run!.braked!;
    expect(held.status).toBe('pending');
    expect(held.standingSync?.brake).toEqual({
      reason: 'unreadable_source',
      removals: 0,
      detail: 'Slack is not answering.',
    });
    expect(held.plan.toChange).toEqual([]);
    // Once per held run: the next intervals wait for the decision, no second card.
    clock.advance(HOUR);
    const [waiting] = await changes.runDueSyncs(read);
    expect(waiting?.run.outcome).toBe('waiting');
    expect(waiting?.braked).toBeUndefined();
    // Still unreadable at the click: said so, still held, nothing changed.
    await expect(changes.approveRequest(held.id, admin, { readSource: read })).rejects.toMatchObject({
      code: 'held_run_not_applied',
      detail: { reason: 'unreadable_source', detail: 'Slack is not answering.' },
    });
    expect((await changes.getChange(held.id)).status).toBe('pending');
    // Without a way to read the source, nothing is applied either.
    await expect(changes.approveRequest(held.id, admin)).rejects.toMatchObject({
      code: 'held_run_not_applied',
    });
    expect(members()).toEqual(ids(people.slice(0, 6)));
    // Readable again: the diff of that moment is applied (gains 2, loses 1), an unresolved person removes nobody.
    source = {
      ok: true,
      people: [
        ...world.refs([...people.slice(1, 6), ...people.slice(6, 8)]),
        // A guest in the user group with the email of the member who left: unresolved, and keeps them.
        { kind: 'unresolvable', label: 'Guest', reason: 'guest', email: people[0]!.email },
      ],
    };
    // Two clicks at once on two replicas: both read the source, exactly one applies.
    const other = world.restart();
    const clicks = await Promise.allSettled([
      changes.approveRequest(held.id, admin, { readSource: read }),
      other.approveRequest(held.id, admin, { readSource: read }),
    ]);
    const won = clicks.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    expect(won).toHaveLength(1);
    expect(clicks.find((c) => c.status === 'rejected')).toMatchObject({
      reason: { code: 'change_already_decided' },
    });
    expect(won[0]?.change.status).toBe('applied');
    expect(won[0]?.change.report?.outcomes.filter((o) => o.outcome === 'added')).toHaveLength(2);
    expect(members()).toEqual(ids(people.slice(0, 8)));
    // Decided: the next run goes ahead as usual.
    source = from(people.slice(1, 8));
    clock.advance(HOUR);
    const [next] = await changes.runDueSyncs(read);
    expect(next?.run).toMatchObject({ outcome: 'applied', removed: 1 });
    expect(members()).toEqual(ids(people.slice(1, 8)));
  });

  it('an unreadable run that reads as empty at Apply this run is held again, with that plan on its card', async () => {
    const { people, changes, clock, admin } = world;
    await keepInSync(people.slice(0, 4));
    source = { ok: false, problem: 'unreadable', detail: 'ratelimited' };
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    const held = run!.braked!;
    source = { ok: true, people: [] };
    await expect(changes.approveRequest(held.id, admin, { readSource: read })).rejects.toMatchObject({
      code: 'held_run_not_applied',
      detail: { reason: 'empty_source' },
    });
    const now = await changes.getChange(held.id);
    expect(now.status).toBe('pending');
    expect(now.standingSync?.brake).toEqual({ reason: 'empty_source', removals: 4 });
    expect(now.plan.toRemove).toHaveLength(4);
    expect(members()).toHaveLength(4);
    // Now an ordinary held run: Apply this run applies the plan the card shows.
    await changes.approveRequest(held.id, admin, { readSource: read });
    expect(members()).toEqual([]);
  });

  it('Skip it skips a held run at once, recorded without a reason; only held runs can be skipped', async () => {
    const { people, changes, clock, admin, member } = world;
    await keepInSync(people.slice(0, 12));
    source = { ok: true, people: [] };
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    await expect(changes.skipHeldRun(run!.braked!.id, member)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    const skipped = await changes.skipHeldRun(run!.braked!.id, admin);
    expect(skipped.status).toBe('denied');
    expect(skipped.decisionReason).toBeUndefined();
    expect(skipped.decidedBy?.slackUserId).toBe(admin.actor.slackUserId);
    expect(members()).toHaveLength(12);
    const row = (await world.auditLog()).find((e) => e.changeId === skipped.id && e.event === 'denied');
    expect(row?.approver?.slackUserId).toBe(admin.actor.slackUserId);
    expect(row?.reason).toBe(skipped.reason);
    await expect(changes.skipHeldRun(run!.braked!.id, admin)).rejects.toMatchObject({
      code: 'change_already_decided',
    });
    // An ordinary request is denied with its dialog, never skipped.
    const preview = await changes.previewChange({
      by: member,
      action: 'add',
      group: world.design,
      people: world.refs(people.slice(20, 21)),
    });
    const request = await changes.requestChange(preview.id, member);
    await expect(changes.skipHeldRun(request.id, admin)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('pauses when the user group was deleted, and says why', async () => {
    const { people, changes, clock } = world;
    await keepInSync(people.slice(0, 3));
    source = { ok: false, problem: 'deleted', detail: 'Slack has no such user group.' };
    clock.advance(HOUR);
    const [run] = await changes.runDueSyncs(read);
    expect(run?.run.outcome).toBe('paused');
    const [sync] = await changes.listStandingSyncs();
    expect(sync?.paused?.reason).toBe('Slack has no such user group.');
    clock.advance(10 * HOUR);
    expect(await changes.runDueSyncs(read)).toEqual([]);
    expect(members()).toHaveLength(3);
  });

  it('never runs a sweep twice for one interval, even from two services at once (replicas)', async () => {
    const { people, clock } = world;
    await keepInSync(people.slice(0, 5));
    source = from(people.slice(0, 8));
    clock.advance(HOUR);
    const other = world.restart();
    const runs = (await Promise.all([world.changes.runDueSyncs(read), other.runDueSyncs(read)])).flat();
    expect(runs).toHaveLength(1);
    expect(members()).toEqual(ids(people.slice(0, 8)));
  });

  it('is only for administrators, and unsync stops it', async () => {
    const { changes, member, admin, design, people } = world;
    await expect(
      changes.previewChange({
        by: member,
        action: 'sync',
        group: design,
        people: world.refs(people.slice(0, 2)),
        sync: { source: { key: 'usergroup:S1', label: '@team' }, addOnly: false, keep: true },
      }),
    ).rejects.toMatchObject({ code: 'not_authorized' });
    await keepInSync(people.slice(0, 2));
    await expect(changes.stopStandingSync(design.id, member)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    expect((await changes.stopStandingSync(design.id, admin)).groupId).toBe(design.id);
    expect(await changes.listStandingSyncs()).toEqual([]);
    await expect(changes.stopStandingSync(design.id, admin)).rejects.toMatchObject({
      code: 'change_not_found',
    });
  });
});
