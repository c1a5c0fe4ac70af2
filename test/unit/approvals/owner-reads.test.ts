import { afterEach, describe, expect, it } from 'vitest';
import type { OwnershipCheck } from '../../../src/approvals/change-service-deps.js';
import { createWorld, type World } from './setup.js';

describe('owners are asked only where they can matter', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('an administrator’s preview reads no owners; a member’s does (and an owner who may apply gets Apply)', async () => {
    const asked: string[] = [];
    const owners: OwnershipCheck = {
      async ownerPower(by) {
        asked.push(by.actor.slackUserId);
        return 'apply';
      },
      ownedGroupIds: async () => new Set(),
    };
    world = await createWorld({ owners });
    const { changes, admin, member, design, people, refs } = world;
    const byAdmin = await changes.previewChange({
      by: admin,
      action: 'add',
      group: design,
      people: refs(people),
    });
    expect(byAdmin.allowed).toEqual({ canApply: true, canRequest: false });
    expect(asked).toEqual([]);
    const byOwner = await changes.previewChange({
      by: member,
      action: 'add',
      group: design,
      people: refs(people),
    });
    expect(byOwner.allowed).toEqual({ canApply: true, canRequest: false });
    expect(asked).toEqual([member.actor.slackUserId]);
  });
});
