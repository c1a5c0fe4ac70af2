import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { locationsOf, recordLocations } from '../locations.js';

export type CardLocation = { channel: string; ts: string };

/** Where the approval card of this request is, if it was posted. */
export function cardLocationOf(change: Pick<Change, 'locations'>): CardLocation | null {
  const { approvalChannel: channel, approvalTs: ts } = locationsOf(change);
  return channel && ts ? { channel, ts } : null;
}

/** Remembers the card's channel and ts, merged atomically into `locations` (the other keys are kept). */
export function rememberCardLocation(
  ctx: Pick<SlackContext, 'store'>,
  changeId: string,
  location: CardLocation,
): Promise<Change | null> {
  return recordLocations(ctx, changeId, { approvalChannel: location.channel, approvalTs: location.ts });
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
