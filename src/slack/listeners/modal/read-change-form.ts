import * as z from 'zod';
import { ACTION, BLOCK } from '../../ids.js';
import {
  type ChangeFormValues,
  MODAL_ACTIONS,
  MODAL_TERMS,
  type ModalAction,
  type ModalTerm,
} from '../../views/change-modal.js';

const selectedOption = z
  .object({ value: z.string(), text: z.object({ text: z.string() }).loose().optional() })
  .loose()
  .nullish();

const stateValue = z
  .object({
    value: z.string().nullish(),
    selected_option: selectedOption,
    selected_users: z.array(z.string()).nullish(),
    selected_conversations: z.array(z.string()).nullish(),
    selected_date: z.string().nullish(),
    files: z.array(z.object({ id: z.string() }).loose()).nullish(),
  })
  .loose();

/** `view.state.values`: block_id → action_id → value (reference §2.2), parsed at the edge. */
const stateValues = z.record(z.string(), z.record(z.string(), stateValue));

export type ReadForm = { ok: true; form: ChangeFormValues } | { ok: false };

function isModalTerm(value: string | undefined): value is ModalTerm {
  return (MODAL_TERMS as readonly string[]).includes(value ?? '');
}

function isModalAction(value: string | undefined): value is ModalAction {
  return (MODAL_ACTIONS as readonly string[]).includes(value ?? '');
}

/**
 * What was filled in on the `/groups` modal. A missing action counts as "add" (the radio buttons start
 * there); a missing group stays missing so that validation can say so next to the field.
 */
export function readChangeForm(values: unknown): ReadForm {
  const parsed = stateValues.safeParse(values);
  if (!parsed.success) return { ok: false };
  const state = parsed.data;
  const action = state[BLOCK.modalAction]?.[ACTION.modalAction]?.selected_option?.value;
  const group = state[BLOCK.modalGroup]?.[ACTION.modalGroup]?.selected_option;
  const users = state[BLOCK.modalPeople]?.[ACTION.modalPeople]?.selected_users ?? [];
  const emailsText = state[BLOCK.modalEmails]?.[ACTION.modalEmails]?.value ?? '';
  const reason = state[BLOCK.modalReason]?.[ACTION.modalReason]?.value ?? '';
  const files = state[BLOCK.modalFile]?.[ACTION.modalFile]?.files ?? [];
  const channels = state[BLOCK.modalChannels]?.[ACTION.modalChannels]?.selected_conversations ?? [];
  const term = state[BLOCK.modalTerm]?.[ACTION.modalTerm]?.selected_option?.value;
  const untilDate = state[BLOCK.modalUntil]?.[ACTION.modalUntil]?.selected_date;
  return {
    ok: true,
    form: {
      action: isModalAction(action) ? action : 'add',
      ...(group?.value ? { group: { id: group.value, name: group.text?.text ?? `id:${group.value}` } } : {}),
      userIds: [...new Set(users)],
      emailsText,
      fileIds: [...new Set(files.map((f) => f.id))],
      ...(channels.length > 0 ? { channelIds: [...new Set(channels)] } : {}),
      reason: reason.trim(),
      ...(isModalTerm(term) && term !== 'permanent' ? { term } : {}),
      ...(untilDate ? { untilDate } : {}),
    },
  };
}
