import type { types } from '@slack/bolt';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import type { Group } from '../../../membership/types.js';
import type { SlackContext } from '../../context.js';
import { BLOCK } from '../../ids.js';
import { type ChangeFormValues, changeModal } from '../../views/change-modal.js';
import { changeModalMembers, MODAL_MEMBERS_PAGE_SIZE } from '../../views/change-modal-members.js';
import { changePreviewModal } from '../../views/change-modal-preview.js';
import type { FormCheck } from './check-change-form.js';
import { checkFormPermission, tooManyPeople } from './validate-change-form.js';

type Show = (view: types.ModalView) => Promise<boolean>;

/** The modal's "view members": the first page, read-only. */
export async function showMembers(ctx: SlackContext, show: Show, group: Group): Promise<void> {
  const page = await ctx.membership.listMembers(group.id, { page: 1, pageSize: MODAL_MEMBERS_PAGE_SIZE });
  await show(changeModalMembers({ group, page }));
}

/**
 * Plans the change against Kantata's current state, stores it as a preview and shows it. A preview the
 * person can no longer see (modal closed meanwhile) is cancelled rather than left behind.
 */
export async function showChangePreview(
  ctx: SlackContext,
  show: Show,
  form: ChangeFormValues,
  checked: Extract<FormCheck, { kind: 'ok' }>,
): Promise<void> {
  if (form.action === 'members') return;
  let change: Awaited<ReturnType<SlackContext['changes']['previewChange']>>;
  try {
    change = await ctx.changes.previewChange({
      by: checked.acting,
      action: form.action,
      group: checked.group,
      people: checked.people,
      ...(form.reason ? { reason: form.reason } : {}),
    });
  } catch (error) {
    const notice = 'Please correct the form: see the notes under the fields.';
    if (isAppErrorWithCode(error, 'too_many_people')) {
      const named = typeof error.detail.count === 'number' ? error.detail.count : checked.people.length;
      const errors = { [BLOCK.modalPeople]: tooManyPeople(named, ctx.config.maxPeoplePerChange) };
      return void (await show(changeModal({ initial: form, errors, notice })));
    }
    if (isAppErrorWithCode(error, 'policy_forbids')) {
      const errors = checkFormPermission(form, { canApply: false, canRequest: false });
      return void (await show(changeModal({ initial: form, errors, notice })));
    }
    throw error;
  }
  const mode = change.allowed.canApply ? 'apply' : 'request';
  const shown = await show(changePreviewModal({ change, mode }));
  if (!shown) await ctx.changes.cancelChange(change.id, checked.acting).catch(() => undefined);
}
