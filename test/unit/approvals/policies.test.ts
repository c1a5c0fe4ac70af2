import { afterEach, describe, expect, it } from 'vitest';
import { type ActingUser, allowedActions } from '../../../src/approvals/policy.js';
import { createWorld, type World } from './setup.js';

let world: World;
afterEach(async () => {
  await world?.close();
});

/** `by` previews adding (or removing) the world's people to or from Design. */
function previewBy(by: ActingUser, action: 'add' | 'remove' = 'add') {
  return world.changes.previewChange({ by, action, group: world.design, people: world.refs(world.people) });
}

describe('APPROVAL_POLICY', () => {
  it('admins-direct: administrators apply after a preview, everyone else requests', async () => {
    world = await createWorld({ policy: 'admins-direct' });
    const { changes, admin, member, design, people } = world;
    expect(changes.allowedActions(admin)).toEqual({ canApply: true, canRequest: false });
    expect(changes.allowedActions(member)).toEqual({ canApply: false, canRequest: true });

    const direct = await previewBy(admin);
    await expect(changes.requestChange(direct.id, admin)).rejects.toMatchObject({ code: 'policy_forbids' });
    const { change } = await changes.apply(direct.id, admin);
    expect(change.status).toBe('applied');
    expect(world.kantata.memberIds(design.id).sort()).toEqual(people.map((p) => p.id).sort());

    const requested = await previewBy(member, 'remove');
    await expect(changes.apply(requested.id, member)).rejects.toMatchObject({ code: 'not_authorized' });
    expect((await changes.requestChange(requested.id, member)).status).toBe('pending');
  });

  it('four-eyes: even an administrator requests, and another administrator approves', async () => {
    world = await createWorld({ policy: 'four-eyes' });
    const { changes, admin, otherAdmin, design, people } = world;
    expect(changes.allowedActions(admin)).toEqual({ canApply: false, canRequest: true });

    const preview = await previewBy(admin);
    await expect(changes.apply(preview.id, admin)).rejects.toMatchObject({ code: 'not_authorized' });
    await changes.requestChange(preview.id, admin);
    await expect(changes.approveRequest(preview.id, admin)).rejects.toMatchObject({
      code: 'self_approval_forbidden',
    });
    expect(world.kantata.memberIds(design.id)).toEqual([]);

    const { change } = await changes.approveRequest(preview.id, otherAdmin);
    expect(change.status).toBe('applied');
    expect(change.decidedBy?.slackUserId).toBe(otherAdmin.actor.slackUserId);
    expect(world.kantata.memberIds(design.id)).toHaveLength(people.length);
  });

  it('admins-only: others are refused with the policy named, administrators apply directly', async () => {
    world = await createWorld({ policy: 'admins-only' });
    const { changes, admin, member, design, people } = world;
    expect(changes.allowedActions(member)).toEqual({ canApply: false, canRequest: false });
    await expect(
      changes.previewChange({ by: member, action: 'add', group: design, people: world.refs(people) }),
    ).rejects.toMatchObject({ code: 'policy_forbids', detail: { policy: 'admins-only' } });

    const preview = await previewBy(admin);
    await expect(changes.requestChange(preview.id, admin)).rejects.toMatchObject({ code: 'policy_forbids' });
    expect((await changes.apply(preview.id, admin)).change.status).toBe('applied');
  });

  it('guests can neither preview, request nor approve under any policy', async () => {
    world = await createWorld();
    const { changes, guest, member, design, people } = world;
    for (const policy of ['admins-direct', 'four-eyes', 'admins-only'] as const) {
      expect(allowedActions(policy, guest)).toEqual({ canApply: false, canRequest: false });
      expect(allowedActions(policy, { ...guest, isAdmin: true })).toEqual({
        canApply: false,
        canRequest: false,
      });
    }
    await expect(
      changes.previewChange({ by: guest, action: 'add', group: design, people: world.refs(people) }),
    ).rejects.toMatchObject({ code: 'guest_not_allowed' });

    const preview = await previewBy(member);
    await changes.requestChange(preview.id, member);
    await expect(changes.approveRequest(preview.id, { ...guest, isAdmin: true })).rejects.toMatchObject({
      code: 'guest_not_allowed',
    });
    expect((await changes.getChange(preview.id)).status).toBe('pending');
  });

  it('a preview is applied or requested only by the person who made it', async () => {
    world = await createWorld();
    const { changes, admin, otherAdmin, member } = world;
    const preview = await previewBy(admin);
    await expect(changes.apply(preview.id, otherAdmin)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    const request = await previewBy(member);
    await expect(
      changes.requestChange(request.id, { ...member, actor: { slackUserId: 'USOMEONE' } }),
    ).rejects.toMatchObject({ code: 'not_authorized' });
  });

  it('a preview with nobody to change can be neither applied nor requested', async () => {
    world = await createWorld();
    const { changes, admin, member, design, people } = world;
    for (const p of people) world.kantata.addMembership(p.id, design.id);
    const direct = await previewBy(admin);
    await expect(changes.apply(direct.id, admin)).rejects.toMatchObject({ code: 'nothing_to_change' });
    const request = await previewBy(member);
    await expect(changes.requestChange(request.id, member)).rejects.toMatchObject({
      code: 'nothing_to_change',
    });
  });
});
