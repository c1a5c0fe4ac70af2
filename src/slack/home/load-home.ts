import type { ActingUser } from '../../approvals/policy.js';
import type { AuditEntry } from '../../approvals/types.js';
import { resolveActingUser } from '../acting-user.js';
import type { SlackContext } from '../context.js';
import type { HomeEnd } from '../views/home/home-items.js';
import { HOME_RECENT, type HomeProps } from '../views/home/home-view.js';

/** Enough of each list for the Home and its "More" modal (the rest is what `/groups requests` is for). */
const LOADED = 200;

export type LoadedHome = HomeProps & {
  /** For the viewer registry: whether this person saw the administrator's Home. */
  isAdmin: boolean;
};

/**
 * What one person's Home tab shows, read now: who they are (checked as for any action, SPEC §2), their
 * pending requests and temporary memberships, and for administrators and owners what they may decide and
 * the newest changes to their groups (administrators: every group; owners: the groups they own).
 */
export async function loadHome(ctx: SlackContext, userId: string): Promise<LoadedHome> {
  const now = ctx.clock.now();
  const who = await resolveActingUser(ctx, userId);
  if (!who.ok) {
    return {
      identity: { linked: false, message: who.message },
      mine: [],
      memberships: [],
      decidable: null,
      recent: null,
      now,
      isAdmin: false,
    };
  }
  const { acting, identity } = who;
  const [mine, memberships, owned] = await Promise.all([
    ctx.store.listChanges({ statuses: ['pending'], requestedBy: userId, limit: LOADED }),
    ctx.store.listEnds({ userId: identity.user.id, limit: LOADED }),
    acting.isAdmin ? Promise.resolve(new Set<string>()) : ctx.changes.ownedGroupIds(acting),
  ]);
  const decides = acting.isAdmin || owned.size > 0;
  const [decidable, recent, syncs] = decides
    ? await Promise.all([
        ctx.changes.listDecidable(acting, { owned }),
        recentChanges(ctx, acting, owned),
        ctx.changes.listStandingSyncs(),
      ])
    : [null, null, []];
  return {
    identity: {
      linked: true,
      name: identity.user.name,
      email: identity.user.email,
      isAdmin: acting.isAdmin,
      ownedGroups: owned.size,
    },
    mine,
    memberships: memberships as HomeEnd[],
    decidable: decidable ? decidable.slice(0, LOADED) : null,
    recent,
    syncs: {
      list: syncs.filter((sync) => acting.isAdmin || owned.has(sync.groupId)),
      intervalMs: ctx.config.syncIntervalMs,
    },
    now,
    isAdmin: acting.isAdmin,
  };
}

/** The newest audit entries of every group (administrators) or of the groups this owner owns. */
async function recentChanges(ctx: SlackContext, by: ActingUser, owned: Set<string>): Promise<AuditEntry[]> {
  if (by.isAdmin) return ctx.store.listAudit({ limit: HOME_RECENT });
  const perGroup = await Promise.all(
    [...owned].map((groupId) => ctx.store.listAudit({ groupId, limit: HOME_RECENT })),
  );
  return perGroup
    .flat()
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, HOME_RECENT);
}
