import type { App, types, ViewSubmitAction } from '@slack/bolt';
import type { ActingUser } from '../../../approvals/policy.js';
import { resolveActingUser } from '../../acting-user.js';
import { deliverOwed } from '../../announce/announcer.js';
import { postApprovalCard } from '../../approvals/post-approval-card.js';
import type { SlackContext } from '../../context.js';
import { VIEW } from '../../ids.js';
import { createProgressThrottle } from '../../progress-throttle.js';
import { changeModalProgress } from '../../views/change-modal-progress.js';
import { changeModalRequested, changeModalResult } from '../../views/change-modal-result.js';
import { changeModalError, workingModal } from '../../views/change-modal-status.js';
import { describeModalError, newRefId, showView } from './modal-support.js';
import { parsePreviewMetadata } from './preview-metadata.js';

type Show = (view: types.ModalView) => Promise<boolean>;

/**
 * Apply or Request approval on the preview modal. The submitter is authorized now, not when the preview
 * was made: an admin who lost the role in between is refused (SPEC §2).
 */
export function registerPreviewSubmission(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>(VIEW.changePreviewModal, async ({ ack, body, client }) => {
    const meta = parsePreviewMetadata(body.view.private_metadata);
    if (!meta) {
      const message = describeModalError(ctx, new Error('unreadable preview metadata'), '/groups preview');
      await ack({ response_action: 'update', view: changeModalError(message) });
      return;
    }
    await ack({ response_action: 'update', view: workingModal(meta.mode) });
    const show: Show = (view) => showView(ctx, client, body.view.id, view);
    try {
      const who = await resolveActingUser(ctx, body.user.id);
      if (!who.ok) return void (await show(changeModalError(who.message)));
      if (meta.mode === 'apply') await applyFromModal(ctx, show, meta.changeId, who.acting);
      else await requestFromModal(ctx, show, meta.changeId, who.acting);
    } catch (error) {
      await show(changeModalError(describeModalError(ctx, error, '/groups preview')));
    }
  });
}

async function applyFromModal(
  ctx: SlackContext,
  show: Show,
  changeId: string,
  acting: ActingUser,
): Promise<void> {
  const change = await ctx.changes.getChange(changeId);
  const progress = createProgressThrottle({
    show: ({ done, total }) =>
      show(changeModalProgress({ action: change.action, group: change.group, done, total })),
    onError: (error) => ctx.logger.warn('progress update failed', { changeId, error }),
  });
  let applied: Awaited<ReturnType<typeof ctx.changes.apply>>;
  try {
    applied = await ctx.changes.apply(changeId, acting, { onProgress: progress.report });
  } finally {
    await progress.finish();
  }
  await show(
    changeModalResult({
      change: applied.change,
      report: applied.report,
      notifyChannelId: ctx.config.notifyChannelId,
    }),
  );
  // The announcer keeps what it could not post pending and the relay retries it; the change itself is done.
  await deliverOwed(ctx, applied.change.id);
}

async function requestFromModal(
  ctx: SlackContext,
  show: Show,
  changeId: string,
  acting: ActingUser,
): Promise<void> {
  const pending = await ctx.changes.requestChange(changeId, acting);
  let cardProblem: string | undefined;
  try {
    await postApprovalCard(ctx, pending);
  } catch (error) {
    const refId = newRefId();
    ctx.logger.error('could not post the approval card', { refId, changeId, error });
    cardProblem =
      `The request is saved, but Slack did not take the approvers’ card yet (reference ${refId}). ` +
      'The bot posts it again shortly; meanwhile it is listed in `/groups requests`.';
  }
  await show(
    changeModalRequested({
      change: pending,
      approvalsChannelId: ctx.config.approvalsChannelId,
      ...(cardProblem ? { cardProblem } : {}),
    }),
  );
}
