import type { AllowedActions } from '../../../approvals/policy.js';
import { emailKey } from '../../../membership/text.js';
import { isEmailAddress } from '../../grammar/email.js';
import { BLOCK } from '../../ids.js';
import { formatCount } from '../../text/format-count.js';
import { truncateText } from '../../text/truncate-text.js';
import type { ChangeFormValues, FormBlockId } from '../../views/change-modal.js';

export type FormErrors = Partial<Record<FormBlockId, string>>;

export type ParsedEmails = { emails: string[]; invalid: string[] };

/**
 * The emails field: separated by spaces, commas, semicolons or new lines; `<ann@x.com>` and
 * `mailto:ann@x.com` are accepted as pasted from a mail client. Duplicates (any case) collapse.
 */
export function parseEmails(text: string): ParsedEmails {
  const seen = new Set<string>();
  const emails: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const token = raw.replace(/^<|>$/g, '').replace(/^mailto:/i, '');
    if (token === '') continue;
    if (!isEmailAddress(token)) {
      invalid.push(raw);
      continue;
    }
    const key = emailKey(token);
    if (seen.has(key)) continue;
    seen.add(key);
    emails.push(token);
  }
  return { emails, invalid };
}

function listOf(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((item) => truncateText(item, 60));
  const more = items.length > max ? ` and ${formatCount(items.length - max)} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** What the form itself gets wrong: no I/O, answered inside Slack's 3 seconds. */
export function checkFormInput(form: ChangeFormValues, emails: ParsedEmails, maxPeople: number): FormErrors {
  const errors: FormErrors = {};
  if (!form.group) errors[BLOCK.modalGroup] = 'Choose a group: type part of its name.';
  if (form.action === 'members') return errors;
  if (emails.invalid.length > 0) {
    errors[BLOCK.modalEmails] =
      emails.invalid.length === 1
        ? `This is not an email address: ${listOf(emails.invalid)}`
        : `These are not email addresses: ${listOf(emails.invalid)}`;
  }
  const named =
    form.userIds.length + emails.emails.length + (form.fileIds?.length ?? 0) + (form.channelIds?.length ?? 0);
  if (named === 0 && emails.invalid.length === 0) {
    errors[BLOCK.modalPeople] = 'Choose at least one person here, or enter email addresses or a file below.';
  }
  // Each list alone is already too long; the total is counted once the people are known, since a person
  // picked in Slack and typed as an email counts once.
  Object.assign(errors, checkFormTerm(form));
  if (form.userIds.length > maxPeople)
    errors[BLOCK.modalPeople] = tooManyPeople(form.userIds.length, maxPeople);
  if (emails.emails.length > maxPeople)
    errors[BLOCK.modalEmails] = tooManyPeople(emails.emails.length, maxPeople);
  return errors;
}

/** "For how long" and its date: only for adds, and "until" needs a date (checked against today later). */
function checkFormTerm(form: ChangeFormValues): FormErrors {
  if (form.term && form.action === 'remove') {
    return {
      [BLOCK.modalTerm]: 'Only an add can be for a time: a removal takes effect at once and for good.',
    };
  }
  if (form.term === 'until' && !form.untilDate) return { [BLOCK.modalUntil]: 'Pick the day access ends.' };
  if (form.term === 'until' && !/^\d{4}-\d{2}-\d{2}$/.test(form.untilDate ?? '')) {
    return { [BLOCK.modalUntil]: 'That is not a date.' };
  }
  if (form.untilDate && form.term !== 'until' && form.action === 'add') {
    return { [BLOCK.modalTerm]: 'Choose “Until a date” to use the date below, or clear the date.' };
  }
  return {};
}

export function tooManyPeople(named: number, maxPeople: number): string {
  return `One change can include at most ${formatCount(maxPeople)} people; this one names ${formatCount(named)}.`;
}

/**
 * What the person may do, checked at the moment of submission (SPEC §2): under `admins-only` others are
 * refused; whoever has to request needs a reason for the approver.
 */
export function checkFormPermission(form: ChangeFormValues, allowed: AllowedActions): FormErrors {
  if (form.action === 'members') return {};
  if (!allowed.canApply && !allowed.canRequest) {
    return {
      [BLOCK.modalAction]: 'Only Kantata account administrators can change groups in this workspace.',
    };
  }
  if (!allowed.canApply && form.reason === '') {
    return {
      [BLOCK.modalReason]: 'Your change needs an administrator’s approval: tell them why in a reason.',
    };
  }
  return {};
}

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0;
}
