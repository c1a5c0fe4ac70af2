import type { types } from '@slack/bolt';
import { VIEW } from '../ids.js';
import { type ApplyProgressProps, applyProgressMessage } from './apply-progress-message.js';
import { contextLine, plainText } from './change-modal-lists.js';

/** "Adding 400 of 1,000 ▓▓▓▓░░░░░░" (SPEC §4.1), in the modal, worded as in the message. */
export function changeModalProgress(props: ApplyProgressProps): types.ModalView {
  const [line] = applyProgressMessage(props).blocks;
  return {
    type: 'modal',
    callback_id: VIEW.changeModalStatus,
    title: plainText('Applying change'),
    close: plainText('Close'),
    blocks: [...(line ? [line] : []), contextLine('You can close this window: the change carries on.')],
  };
}
