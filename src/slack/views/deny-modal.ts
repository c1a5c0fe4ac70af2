import type { types } from '@slack/bolt';
import { ACTION, BLOCK, VIEW } from '../ids.js';
import { truncateText } from '../text/truncate-text.js';
import { context, section } from './blocks.js';

/** Slack's limit on the text a modal's title, submit and close buttons may hold. */
const MODAL_BUTTON_CHARS = 24;
/** A reason is for people to read on a card, not an essay. */
export const DENY_REASON_MAX = 1000;

const plain = (text: string): types.PlainTextElement => ({
  type: 'plain_text',
  text: truncateText(text, MODAL_BUTTON_CHARS),
  emoji: true,
});

/** What the deny modal carries between the click and the submission: only the id of the stored change. */
export function denyMetadata(changeId: string): string {
  return JSON.stringify({ changeId });
}

/**
 * Deny, with an optional reason (SPEC §4.3). Opened at once on the click (the trigger expires in 3 s);
 * `summary` is mrkdwn the caller has escaped ("add 3 people to *Design*, requested by <@U1>").
 */
export function denyModal(props: { changeId: string; summary?: string }): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.denyModal,
    private_metadata: denyMetadata(props.changeId),
    title: plain('Deny request'),
    submit: plain('Deny'),
    close: plain('Cancel'),
    blocks: [
      section(props.summary ? `Deny the request to ${props.summary}?` : 'Deny this request?'),
      {
        type: 'input',
        block_id: BLOCK.denyReason,
        optional: true,
        label: { type: 'plain_text', text: 'Reason (optional)' },
        hint: { type: 'plain_text', text: 'Shown on the card and sent to the requester.' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.denyReason,
          multiline: true,
          max_length: DENY_REASON_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. Please ask for the Design-2 group instead' },
        },
      },
      context(`change \`${props.changeId}\``),
    ],
  };
}

/** The deny modal when the clicker may not deny, or the request is no longer pending: no submit button. */
export function denyRefusedModal(message: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.denyModal,
    title: plain('Deny request'),
    close: plain('Close'),
    blocks: [section(`:no_entry_sign: ${message}`)],
  };
}
