import type { Announcement, Change } from '../../approvals/types.js';
import { type ApprovalsContext, approvalsClient, redrawMessage } from '../approvals/approvals-context.js';
import { findCardLocation } from '../approvals/card-location.js';
import { refreshOwnerDms } from '../owners/owner-dms.js';
import { approvalCard } from '../views/approval-card.js';
import { requesterDm } from '../views/approval-dm.js';
import { approvalThreadReplies } from '../views/approval-thread.js';

/**
 * The Slack posts behind each announcement a request's end owes (see `ANNOUNCEMENTS`). Each throws when
 * Slack refuses, so the announcer can retry it; each is safe to repeat after a failure (the card is
 * redrawn in place; the thread and the DM are only posted by an attempt that then fails no further).
 */
export const DECISION_POSTS: Record<Announcement, (ctx: ApprovalsContext, change: Change) => Promise<void>> =
  {
    /** The card redrawn without its buttons, showing how it ended, and the details in its thread. */
    'decided:approvers': async (ctx, change) => {
      const location = await findCardLocation(ctx, change);
      // No card was ever posted (it could not be, and the request ended first): nothing to redraw.
      if (!location) return;
      await redrawMessage(ctx, location, approvalCard({ change }));
      for (const reply of approvalThreadReplies({ change })) {
        await approvalsClient(ctx).chat.postMessage({
          channel: location.channel,
          thread_ts: location.ts,
          text: reply.text,
          blocks: reply.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      }
    },
    /** The owners' copies of the card (SPEC §4.8), redrawn the same way. */
    'decided:owners': (ctx, change) => refreshOwnerDms(ctx, change),
    /** A direct message to the requester (posting to a user id reaches the bot's DM with them). */
    'decided:requester': async (ctx, change) => {
      // A standing sync's held run was requested by the bot itself: nobody to tell directly.
      if (change.standingSync) return;
      const message = requesterDm({ change });
      if (!message) return;
      await approvalsClient(ctx).chat.postMessage({
        channel: change.requestedBy.slackUserId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    },
  };
