import type { Change } from '../approvals/types.js';
import type { SlackContext } from './context.js';

/**
 * Where the bot posted what it says about a change, kept in `Change.locations` (opaque strings to the
 * core). Every key is named here, once, and every write goes through `recordLocations`: one atomic merge
 * in the store (`ChangeStore.mergeLocations`), so two replicas recording at once lose nothing.
 */
export type SlackLocations = {
  /** The approval card of a request. */
  approvalChannel: string;
  approvalTs: string;
  /** The channel notice of an applied change. */
  notifyChannel: string;
  notifyTs: string;
  /** The clicker's message (its response_url, answered by whoever finishes the change) and when it was clicked. */
  clickerResponseUrl: string;
  clickedAt: string;
  /** A request's copies sent to the group's owners are all out (when): the job sends none again. */
  ownersNotified: string;
} & {
  /** The copy of a request's card sent to one owner (`ownerDm:<Slack user id>`): `<channel> <ts>`. */
  [owner: `ownerDm:${string}`]: string;
};

export function locationsOf(change: Pick<Change, 'locations'>): Partial<SlackLocations> {
  return change.locations ?? {};
}

/** Merges these locations into the change, with `patch` (e.g. the delivery state) in the same write. */
export function recordLocations(
  ctx: Pick<SlackContext, 'store'>,
  changeId: string,
  locations: Partial<SlackLocations>,
  patch?: Parameters<SlackContext['store']['mergeLocations']>[2],
): Promise<Change | null> {
  const defined = Object.fromEntries(Object.entries(locations).filter(([, v]) => v !== undefined));
  return ctx.store.mergeLocations(changeId, defined as Record<string, string>, patch);
}
