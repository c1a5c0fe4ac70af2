import type { App, ViewClosedAction } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { VIEW } from '../../ids.js';
import { parsePreviewMetadata } from './preview-metadata.js';

/**
 * Closing the preview modal (Cancel, ×, Esc) cancels the stored preview, so its id can never be applied
 * later. Only the person who made it can cancel it; who they are comes from Slack's signed payload, and
 * cancelling one's own preview needs nothing from Kantata.
 */
export function registerPreviewClosed(app: App, ctx: SlackContext): void {
  app.view<ViewClosedAction>(
    { type: 'view_closed', callback_id: VIEW.changePreviewModal },
    async ({ ack, body }) => {
      await ack();
      const meta = parsePreviewMetadata(body.view.private_metadata);
      if (!meta) return;
      const by = { actor: { slackUserId: body.user.id }, isAdmin: false, isGuest: false };
      await ctx.changes.cancelChange(meta.changeId, by).catch((error: unknown) => {
        ctx.logger.info('closed preview not cancelled', { changeId: meta.changeId, error: String(error) });
      });
    },
  );
}
