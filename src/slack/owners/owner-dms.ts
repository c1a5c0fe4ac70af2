import type { Change } from '../../approvals/types.js';
import { type ApprovalsContext, approvalsClient, redrawMessage } from '../approvals/approvals-context.js';
import { locationsOf, recordLocations } from '../locations.js';
import { approvalCard } from '../views/approval-card.js';

/** The locations key prefix of owner DMs (see `SlackLocations`). */
const DM_KEY = 'ownerDm:';
/** One sender at a time per request (the Request click, or the job that finishes what failed). */
const CLAIM_TTL_MS = 60_000;
/**
 * A request's DMs go to at most this many owners (the first ones named; a user group's members in Slack's
 * order). An owner group of hundreds is a channel's job, not a stream of DMs; the card is there for all.
 */
export const MAX_OWNER_DMS = 50;

type DmLocation = { userId: string; channel: string; ts: string };

/** Where this request's owner DMs are. */
export function ownerDmsOf(change: Pick<Change, 'locations'>): DmLocation[] {
  return Object.entries(locationsOf(change)).flatMap(([key, value]) => {
    if (!key.startsWith(DM_KEY) || typeof value !== 'string') return [];
    const [channel, ts] = value.split(' ');
    return channel && ts ? [{ userId: key.slice(DM_KEY.length), channel, ts }] : [];
  });
}

/** Whether every owner DM of this request has been sent (the job sends what is missing). */
export function ownersNotified(change: Pick<Change, 'locations'>): boolean {
  return locationsOf(change).ownersNotified !== undefined;
}

/**
 * Sends a new request to the owners of its group by direct message, with the card's Approve / Deny
 * (SPEC §4.8): everyone who owns the group now (user groups expanded), but not the requester and not guests,
 * bots or deactivated people. Each DM's place is remembered as it is sent, so a retry never sends one twice
 * and a decision updates them all. Never throws: the card is the request's first home.
 */
export async function notifyOwnersOfRequest(ctx: ApprovalsContext, changeId: string): Promise<void> {
  try {
    const change = await ctx.store.getChange(changeId);
    // A standing sync's run held by the brake is an administrator's to apply or skip (SPEC §4.7).
    if (change?.status !== 'pending' || ownersNotified(change) || change.standingSync?.brake) return;
    if (!(await ctx.store.claimKey(`owner-dms:${change.id}`, CLAIM_TTL_MS))) return;
    const sent = new Set(ownerDmsOf(change).map((dm) => dm.userId));
    const owners = (await ctx.owners.currentOwners(change.group.id)).filter(
      (id) => id !== change.requestedBy.slackUserId,
    );
    const profiles = owners.length > 0 ? await ctx.directory.getProfiles(owners) : new Map();
    const reachable = owners
      .filter((id) => {
        const lookup = profiles.get(id);
        return (
          lookup?.status === 'found' &&
          !lookup.profile.deleted &&
          !lookup.profile.isGuest &&
          !lookup.profile.isBot
        );
      })
      .slice(0, MAX_OWNER_DMS);
    if (owners.length > MAX_OWNER_DMS) {
      ctx.logger.warn('a request has more owners than get a direct message', {
        changeId,
        owners: owners.length,
        max: MAX_OWNER_DMS,
      });
    }
    const card = approvalCard({ change, forOwner: true });
    let failed = 0;
    for (const userId of reachable) {
      if (sent.has(userId)) continue;
      try {
        const posted = await approvalsClient(ctx).chat.postMessage({
          channel: userId,
          text: card.text,
          blocks: card.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!posted.ts || !posted.channel)
          throw new Error('chat.postMessage answered without a channel and ts');
        await recordLocations(ctx, change.id, {
          [`${DM_KEY}${userId}`]: `${posted.channel} ${posted.ts}`,
        });
      } catch (error) {
        failed += 1;
        ctx.logger.warn('could not send a request to an owner; trying again later', {
          changeId,
          userId,
          error,
        });
      }
    }
    if (failed === 0)
      await recordLocations(ctx, change.id, { ownersNotified: ctx.clock.now().toISOString() });
  } catch (error) {
    ctx.logger.warn('could not send a request to its owners; trying again later', { changeId, error });
  }
}

/**
 * Redraws every owner DM of a request as the request is now (decided: the buttons are gone and it says by
 * whom). Throws when Slack refuses one, so the announcer tries again (redrawing is safe to repeat).
 */
export async function refreshOwnerDms(ctx: ApprovalsContext, change: Change): Promise<void> {
  const fresh = (await ctx.store.getChange(change.id)) ?? change;
  const dms = ownerDmsOf(fresh);
  if (dms.length === 0) return;
  const card = approvalCard({ change: { ...change, locations: fresh.locations } as Change, forOwner: true });
  const failures: unknown[] = [];
  for (const dm of dms) {
    try {
      await redrawMessage(ctx, dm, card);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `${failures.length} owner message(s) not updated`);
}
