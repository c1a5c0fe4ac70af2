import type { types } from '@slack/bolt';
import type { MembershipTerm } from '../../../approvals/expiry/types.js';
import type { SyncSource } from '../../../approvals/types.js';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import type { Group } from '../../../membership/types.js';
import type { SlackContext } from '../../context.js';
import { termOf } from '../../grammar/term-instant.js';
import { BLOCK } from '../../ids.js';
import { type ChangeFormValues, changeModal } from '../../views/change-modal.js';
import { changeModalMembers, MODAL_MEMBERS_PAGE_SIZE } from '../../views/change-modal-members.js';
import { changePreviewModal } from '../../views/change-modal-preview.js';
import type { FormCheck } from './check-change-form.js';
import { checkFormPermission, tooManyPeople } from './validate-change-form.js';

const DAY = 86_400_000;
const TERM_DAYS: Record<string, number> = { '1d': 1, '7d': 7, '30d': 30, '90d': 90 };
const TERM_FORM_PROBLEMS: Record<string, string> = {
  past_date: 'That day is already over in your time zone: pick one from today on.',
  too_long: 'That is further away than a temporary membership may last.',
};

/** The core's term for the modal's "For how long": `until` ends at the end of that day in the person's zone. */
async function modalTermOf(
  ctx: SlackContext,
  form: ChangeFormValues,
  slackUserId: string,
): Promise<MembershipTerm | undefined> {
  if (form.action !== 'add' || !form.term) return undefined;
  const days = TERM_DAYS[form.term];
  if (days) return { kind: 'for', ms: days * DAY };
  if (!form.untilDate) return undefined;
  return termOf(
    { kind: 'until', date: form.untilDate },
    (await ctx.directory.getCallerProfile(slackUserId))?.tz,
  );
}

type Show = (view: types.ModalView) => Promise<boolean>;

/** What a sync from the modal follows: the file uploaded, or the people named in the form. */
function formSource(form: ChangeFormValues, checked: Extract<FormCheck, { kind: 'ok' }>): SyncSource {
  const [fileId] = form.fileIds ?? [];
  const [name] = checked.fileNames;
  if (fileId && name) return { key: `file:${fileId}`, label: name };
  return { key: 'form', label: 'the people named in the form' };
}

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
  const term = await modalTermOf(ctx, form, checked.acting.actor.slackUserId);
  let change: Awaited<ReturnType<SlackContext['changes']['previewChange']>>;
  try {
    change = await ctx.changes.previewChange({
      by: checked.acting,
      action: form.action,
      group: checked.group,
      people: checked.people,
      ...(form.action === 'sync' ? { sync: { source: formSource(form, checked), addOnly: false } } : {}),
      ...(form.reason ? { reason: form.reason } : {}),
      ...(term ? { term } : {}),
    });
  } catch (error) {
    const notice = 'Please correct the form: see the notes under the fields.';
    if (isAppErrorWithCode(error, 'invalid_input') && error.detail.field === 'term') {
      const block = form.term === 'until' ? BLOCK.modalUntil : BLOCK.modalTerm;
      const errors = { [block]: TERM_FORM_PROBLEMS[String(error.detail.reason)] ?? error.message };
      return void (await show(changeModal({ initial: form, errors, notice })));
    }
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
