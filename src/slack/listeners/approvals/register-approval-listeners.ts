import type { SlackContext } from '../../context.js';
import { ACTION, VIEW } from '../../ids.js';
import type { ListenerRegistry } from '../action-router.js';
import { approveRequestListener } from './approve-request-action.js';
import { denyRequestListener } from './deny-request-action.js';
import { denySubmissionListener } from './deny-submission.js';
import { skipHeldRunListener } from './skip-held-run-action.js';
import { undoChangeListener } from './undo-change-action.js';
import { withdrawRequestListener } from './withdraw-request-action.js';

/**
 * Approval cards (Approve / Deny / Withdraw; Apply this run / Skip it on a standing sync's held run), the deny modal, and Undo on notifications. Every listener
 * acks first, then authorizes the clicker at that moment; buttons carry only a stored change id.
 */
export function registerApprovalListeners(app: ListenerRegistry, ctx: SlackContext): void {
  app.action(ACTION.requestApprove, approveRequestListener(ctx));
  app.action(ACTION.requestDeny, denyRequestListener(ctx));
  app.action(ACTION.syncSkip, skipHeldRunListener(ctx));
  app.action(ACTION.requestWithdraw, withdrawRequestListener(ctx));
  app.action(ACTION.changeUndo, undoChangeListener(ctx));
  app.view(VIEW.denyModal, denySubmissionListener(ctx));
}
