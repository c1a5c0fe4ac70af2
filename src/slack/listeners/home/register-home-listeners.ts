import type { SlackContext } from '../../context.js';
import { ACTION } from '../../ids.js';
import type { ListenerRegistry } from '../action-router.js';
import { homeMoreListener } from './home-more-action.js';
import { homeOpenModalListener } from './home-open-modal-action.js';

/**
 * The Home tab (SPEC §4.8): `app_home_opened` publishes it (acked first: the publish goes through the
 * Home queue); its own buttons are "Open /groups" and "More". Withdraw, Extend, Approve and Deny on it are
 * the same buttons as on cards and reminders, handled by their listeners.
 */
export function registerHomeListeners(app: ListenerRegistry, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event }) => {
    // The Messages tab opens this event too; only the Home tab is ours to draw.
    if (event.tab !== 'home' || typeof event.user !== 'string') return;
    ctx.home.opened(event.user);
  });
  app.action(ACTION.homeOpenModal, homeOpenModalListener(ctx));
  app.action(ACTION.homeMore, homeMoreListener(ctx));
}
