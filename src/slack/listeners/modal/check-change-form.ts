import type { ActingUser, AllowedActions } from '../../../approvals/policy.js';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import type { Group, PersonRef } from '../../../membership/types.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { emailsFromFiles } from '../../files/emails-from-files.js';
import { BLOCK } from '../../ids.js';
import type { ChangeFormValues } from '../../views/change-modal.js';
import { collectPeople } from './collect-people.js';
import { describeModalError } from './modal-support.js';
import { checkFormPermission, type FormErrors, hasErrors, tooManyPeople } from './validate-change-form.js';

/** What the checks that need Slack or Kantata found. */
export type FormCheck =
  | {
      kind: 'ok';
      acting: ActingUser;
      allowed: AllowedActions;
      group: Group;
      people: PersonRef[];
      /** The names of the files the people were read from (a sync from a file is labelled by it). */
      fileNames: string[];
    }
  | { kind: 'form_errors'; errors: FormErrors }
  | { kind: 'refused'; message: string };

/** The group field's error for a group that is gone, with Kantata's closest names when it has some. */
export function groupGoneMessage(error: unknown): string {
  const detail = (error as { detail?: { suggestions?: unknown } }).detail;
  const suggestions = Array.isArray(detail?.suggestions)
    ? detail.suggestions.filter((s): s is string => typeof s === 'string').slice(0, 3)
    : [];
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
  return `That group is no longer in Kantata.${hint} Choose another.`;
}

/**
 * Who is submitting (at this moment, SPEC §2), whether the group still exists, and who the people are.
 * Never throws: every outcome is something to show, inline next to a field or instead of the form.
 */
export async function checkChangeForm(
  ctx: SlackContext,
  userId: string,
  form: ChangeFormValues & { group: { id: string } },
  emails: readonly string[],
): Promise<FormCheck> {
  const files =
    form.action === 'members' || !form.fileIds?.length
      ? { ok: true as const, emails: [], names: [] }
      : await emailsFromFiles(
          {
            client: ctx.client,
            botToken: ctx.config.slack.botToken,
            ...(ctx.config.slack.apiUrl ? { apiUrl: ctx.config.slack.apiUrl } : {}),
            maxPeople: ctx.config.maxPeoplePerChange,
          },
          form.fileIds,
        );
  const fromFiles = files.ok ? files.emails : [];
  const [who, group, people] = await Promise.allSettled([
    resolveActingUser(ctx, userId),
    ctx.membership.findGroup({ kind: 'id', id: form.group.id }),
    form.action === 'members'
      ? Promise.resolve([])
      : collectPeople(ctx, form.userIds, [...emails, ...fromFiles], form.channelIds),
  ]);
  if (who.status === 'rejected') return refused(ctx, who.reason);
  if (!who.value.ok) return { kind: 'refused', message: who.value.message };
  const acting = who.value.acting;
  const allowed = ctx.changes.allowedActions(acting);
  const errors: FormErrors = { ...checkFormPermission(form, allowed) };
  if (!files.ok) errors[BLOCK.modalFile] = files.problem;
  if (group.status === 'rejected') {
    if (!isAppErrorWithCode(group.reason, 'group_not_found')) return refused(ctx, group.reason);
    errors[BLOCK.modalGroup] = groupGoneMessage(group.reason);
  }
  if (people.status === 'rejected') return refused(ctx, people.reason);
  if (people.value.length > ctx.config.maxPeoplePerChange) {
    errors[BLOCK.modalPeople] = tooManyPeople(people.value.length, ctx.config.maxPeoplePerChange);
  }
  if (hasErrors(errors) || group.status === 'rejected') return { kind: 'form_errors', errors };
  return {
    kind: 'ok',
    acting,
    allowed,
    group: group.value,
    people: people.value,
    fileNames: files.ok ? files.names : [],
  };
}

function refused(ctx: SlackContext, error: unknown): FormCheck {
  return { kind: 'refused', message: describeModalError(ctx, error, '/groups modal check') };
}
