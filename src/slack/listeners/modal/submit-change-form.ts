import type { App, types, ViewSubmitAction, webApi } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { VIEW } from '../../ids.js';
import { type ChangeFormValues, changeModal } from '../../views/change-modal.js';
import {
  changeModalError,
  loadingMembersModal,
  preparingPreviewModal,
} from '../../views/change-modal-status.js';
import { checkChangeForm, type FormCheck } from './check-change-form.js';
import { describeModalError, showView, withinBudget } from './modal-support.js';
import { readChangeForm } from './read-change-form.js';
import { showChangePreview, showMembers } from './show-form-result.js';
import { checkFormInput, hasErrors, parseEmails } from './validate-change-form.js';

/**
 * Checks that need Slack or Kantata get this long before the submission is acknowledged (Slack waits
 * 3 seconds). Usually they are answered from caches and problems show inline; past the budget the modal
 * says "Preparing…" and a late problem brings the form back with the problem marked.
 */
const CHECK_BUDGET_MS = 2_000;

/** Submission of the `/groups` modal: validate, then turn into the preview (or the members list). */
export function registerChangeFormSubmission(app: App, ctx: SlackContext): void {
  app.view<ViewSubmitAction>(VIEW.changeModal, async ({ ack, body, client }) => {
    const viewId = body.view.id;
    const parsed = readChangeForm(body.view.state?.values);
    if (!parsed.ok) {
      const message = describeModalError(
        ctx,
        new Error('unreadable modal state'),
        '/groups modal submission',
      );
      await ack({ response_action: 'update', view: changeModalError(message) });
      return;
    }
    const read = parsed.form;
    const emails = parseEmails(read.emailsText);
    const inputErrors = checkFormInput(read, emails, ctx.config.maxPeoplePerChange);
    if (hasErrors(inputErrors) || !read.group) {
      await ack({ response_action: 'errors', errors: inputErrors });
      return;
    }
    const form = { ...read, group: read.group };
    const waiting = form.action === 'members' ? loadingMembersModal() : preparingPreviewModal();
    const checking = checkChangeForm(ctx, body.user.id, form, emails.emails);
    const early = await withinBudget(checking, CHECK_BUDGET_MS);
    if (early.done && early.value.kind === 'form_errors') {
      await ack({ response_action: 'errors', errors: early.value.errors });
      return;
    }
    if (early.done && early.value.kind === 'refused') {
      await ack({ response_action: 'update', view: changeModalError(early.value.message) });
      return;
    }
    await ack({ response_action: 'update', view: waiting });
    const checked = early.done ? early.value : await checking;
    await continueAfterAck(ctx, client, viewId, form, checked);
  });
}

async function continueAfterAck(
  ctx: SlackContext,
  client: webApi.WebClient,
  viewId: string,
  form: ChangeFormValues,
  checked: FormCheck,
): Promise<void> {
  const show = (view: types.ModalView) => showView(ctx, client, viewId, view);
  if (checked.kind === 'refused') return void (await show(changeModalError(checked.message)));
  if (checked.kind === 'form_errors') {
    const notice = 'Please correct the form: see the notes under the fields.';
    return void (await show(changeModal({ initial: form, errors: checked.errors, notice })));
  }
  try {
    if (form.action === 'members') await showMembers(ctx, show, checked.group);
    else await showChangePreview(ctx, show, form, checked);
  } catch (error) {
    await show(changeModalError(describeModalError(ctx, error, '/groups modal preview')));
  }
}
