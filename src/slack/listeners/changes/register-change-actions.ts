import type { SlackContext } from '../../context.js';
import { ACTION } from '../../ids.js';
import type { ListenerRegistry } from '../action-router.js';
import { applyChangeListener } from './apply-change-action.js';
import { cancelChangeListener } from './cancel-change-action.js';
import { expiringPageListener } from './expiring-page-action.js';
import { membersPageListener } from './members-page-action.js';
import { requestChangeListener } from './request-change-action.js';

/** The buttons of previews and member pages. Each listener acks first, then authorizes the clicker. */
export function registerChangeActionListeners(app: ListenerRegistry, ctx: SlackContext): void {
  app.action(ACTION.changeApply, applyChangeListener(ctx));
  app.action(ACTION.changeRequest, requestChangeListener(ctx));
  app.action(ACTION.changeCancel, cancelChangeListener(ctx));
  app.action(ACTION.membersPage, membersPageListener(ctx));
  app.action(ACTION.membersPagePrevious, membersPageListener(ctx));
  app.action(ACTION.expiringPage, expiringPageListener(ctx));
  app.action(ACTION.expiringPagePrevious, expiringPageListener(ctx));
}
