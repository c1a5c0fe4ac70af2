import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { isSlackUserId } from '../text/slack-actor.js';
import { homeView } from '../views/home/home-view.js';
import { createHomeQueue } from './home-queue.js';
import type { HomeTab } from './home-tab-type.js';
import { loadHome } from './load-home.js';

/** People whose Home this process drew, at most this many (the least recently drawn are forgotten). */
const MAX_VIEWERS = 10_000;

export type { HomeTab } from './home-tab-type.js';

/**
 * The Home tab (SPEC §4.8): drawn with `views.publish` when someone opens it, and again for the people
 * concerned whenever something in it changes: the requester, whoever decided, the group's owners, and the
 * administrators and members (of a temporary add) who have opened theirs on this process. Publishes go
 * through one queue, one at a time, so a burst of changes never floods `views.publish`.
 */
export function createHomeTab(ctx: () => SlackContext): HomeTab {
  /** Who opened their Home here, and whether they saw the administrator's one (insertion order = recency). */
  const viewers = new Map<string, { isAdmin: boolean }>();
  const queue = createHomeQueue({
    publish: async (userId) => {
      const c = ctx();
      const home = await loadHome(c, userId);
      await c.client.views.publish({ user_id: userId, view: homeView(home) });
      viewers.delete(userId);
      viewers.set(userId, { isAdmin: home.isAdmin });
      while (viewers.size > MAX_VIEWERS) viewers.delete(viewers.keys().next().value as string);
    },
    onError: (userId, error) => ctx().logger.warn('could not publish a Home tab', { userId, error }),
  });

  async function concerned(change: Change): Promise<string[]> {
    const c = ctx();
    const people = new Set<string>();
    // A standing sync's run or a membership's end is "by" the bot's own stand-in, who has no Home.
    for (const actor of [change.requestedBy, change.decidedBy, change.appliedBy]) {
      if (actor && isSlackUserId(actor.slackUserId)) people.add(actor.slackUserId);
    }
    for (const id of await c.owners.currentOwners(change.group.id)) people.add(id);
    for (const [id, viewer] of viewers) if (viewer.isAdmin) people.add(id);
    // Members of a temporary add (their memberships list), when their Home is drawn here.
    if (change.term || change.expiry) {
      const emails = change.plan.toChange.map((u) => u.email).filter(Boolean);
      for (const id of c.directory.slackIdsByEmail(emails).values()) if (viewers.has(id)) people.add(id);
    }
    return [...people];
  }

  return {
    opened: (userId) => queue.request([userId], { first: true }),
    refresh: (userIds) => queue.request(userIds),
    changed(change) {
      concerned(change).then(
        (people) => queue.request(people),
        (error: unknown) =>
          ctx().logger.warn('could not tell whose Home tab shows a change', { changeId: change.id, error }),
      );
    },
    idle: () => queue.idle(),
    stop: () => queue.stop(),
  };
}
