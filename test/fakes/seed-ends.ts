import type { MembershipEnd } from '../../src/approvals/expiry/types.js';
import type { Store } from '../../src/approvals/ports.js';
import type { Actor, Change } from '../../src/approvals/types.js';

/**
 * Records ends of temporary memberships the way the bot does when it applies an add with a term: a
 * finished add whose final transition carries them (the store's own writer, in one atomic write). For tests
 * and the benchmark that need many ends at once, or ends that fell due while no bot ran.
 */
export async function seedEnds(
  store: Store,
  input: {
    changeId: string;
    group: { id: string; name: string };
    users: readonly { id: string; name: string; email: string }[];
    endsAt: Date;
    addedAt: Date;
    addedBy: Actor;
  },
): Promise<MembershipEnd[]> {
  const { group, addedBy } = input;
  const at = input.addedAt.toISOString();
  const add: Change = {
    id: input.changeId,
    status: 'applying',
    action: 'add',
    group,
    plan: { action: 'add', group, toChange: [], unchanged: [], unresolved: [] },
    requestedBy: addedBy,
    createdAt: at,
    updatedAt: at,
  };
  const ends = input.users.map(
    (user): MembershipEnd => ({
      groupId: group.id,
      userId: user.id,
      groupName: group.name,
      user: { id: user.id, name: user.name, email: user.email, disabled: false, isAdministrator: false },
      endsAt: input.endsAt.toISOString(),
      setBy: input.changeId,
      addedAt: at,
      addedBy,
    }),
  );
  await store.createChange(add);
  await store.transitionChange(
    input.changeId,
    ['applying'],
    'applied',
    {},
    { ends: { set: ends, drop: [], release: [] } },
  );
  return ends;
}
