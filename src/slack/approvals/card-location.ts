import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';

/** Keys of `change.locations` (shared with the notifier's `notifyChannel` / `notifyTs`). */
const CHANNEL_KEY = 'approvalChannel';
const TS_KEY = 'approvalTs';

export type CardLocation = { channel: string; ts: string };

/** Where the approval card of this request is, if it was posted. */
export function cardLocationOf(change: Pick<Change, 'locations'>): CardLocation | null {
  const channel = change.locations?.[CHANNEL_KEY];
  const ts = change.locations?.[TS_KEY];
  return channel && ts ? { channel, ts } : null;
}

/** Remembers the card's channel and ts, merged atomically into `locations` (the other keys are kept). */
export function rememberCardLocation(
  ctx: Pick<SlackContext, 'store'>,
  changeId: string,
  location: CardLocation,
): Promise<Change | null> {
  return ctx.store.mergeLocations(changeId, { [CHANNEL_KEY]: location.channel, [TS_KEY]: location.ts });
}

/** The card location, reading the store again when the record in hand predates the card. */
export async function findCardLocation(
  ctx: Pick<SlackContext, 'store'>,
  change: Pick<Change, 'id' | 'locations'>,
): Promise<CardLocation | null> {
  const known = cardLocationOf(change);
  if (known) return known;
  const fresh = await ctx.store.getChange(change.id);
  return fresh ? cardLocationOf(fresh) : null;
}
