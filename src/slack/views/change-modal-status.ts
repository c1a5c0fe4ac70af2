import type { types } from '@slack/bolt';
import { VIEW } from '../ids.js';
import { contextLine, mrkdwnSection, plainText } from './change-modal-lists.js';

/**
 * The modal while work is under way (what a submission is acknowledged with, inside Slack's 3 seconds)
 * or when it ends without a result to show. No submit button: there is nothing to submit.
 */
export function changeModalStatus(props: {
  title: string;
  text: string;
  footnote?: string;
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.changeModalStatus,
    title: plainText(props.title),
    close: plainText('Close'),
    blocks: [mrkdwnSection(props.text), ...(props.footnote ? [contextLine(props.footnote)] : [])],
  };
}

export function preparingPreviewModal(): types.ModalView {
  return changeModalStatus({
    title: 'Preparing preview',
    text: ':hourglass_flowing_sand: Checking the group and the people in Kantata…',
    footnote: 'Nothing changes until you confirm the preview.',
  });
}

export function loadingMembersModal(): types.ModalView {
  return changeModalStatus({
    title: 'Group members',
    text: ':hourglass_flowing_sand: Reading the members from Kantata…',
  });
}

export function workingModal(mode: 'apply' | 'request'): types.ModalView {
  return mode === 'apply'
    ? changeModalStatus({ title: 'Applying change', text: ':hourglass_flowing_sand: Starting…' })
    : changeModalStatus({ title: 'Sending request', text: ':hourglass_flowing_sand: Sending your request…' });
}

/** An error, already a sentence for Slack (see `messageForError`). */
export function changeModalError(message: string): types.ModalView {
  return changeModalStatus({ title: 'Something went wrong', text: `:warning: ${message}` });
}
