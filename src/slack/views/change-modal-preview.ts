import type { types } from '@slack/bolt';
import { hasWork } from '../../approvals/expiry/has-work.js';
import type { Change } from '../../approvals/types.js';
import { VIEW } from '../ids.js';
import { contextLine, plainText } from './change-modal-lists.js';
import { previewBlocks } from './preview-message.js';

/** What the preview's submit button does: decided by the policy for the person who made the preview. */
export type PreviewMode = 'apply' | 'request';

export type ChangePreviewModalProps = {
  change: Pick<Change, 'id' | 'action' | 'group' | 'plan' | 'reason'> &
    Partial<Pick<Change, 'term' | 'currentEnds' | 'createdAt'>>;
  mode: PreviewMode;
};

/** The preview's private_metadata: only the stored change's id and what the button said. */
export function previewMetadata(changeId: string, mode: PreviewMode): string {
  return JSON.stringify({ changeId, mode });
}

/**
 * The preview of SPEC §4.1 inside the modal, the same blocks as the message preview: who will be added (or
 * removed), who already is (or is not) a member, who could not be included and why. Submit says Apply or
 * Request approval; a preview with nothing to change says so and has no submit button. Closing it is
 * reported (notify_on_close) so that the stored preview is cancelled.
 */
const MODAL_TITLES: Record<Change['action'], string> = {
  add: 'Preview: add people',
  remove: 'Preview: remove people',
  sync: 'Preview: sync',
};

export function changePreviewModal(props: ChangePreviewModalProps): types.ModalView {
  const { change, mode } = props;
  const nothing = !hasWork(change);
  const footnote = nothing
    ? []
    : [
        contextLine(
          mode === 'apply'
            ? '*Apply* makes the change in Kantata now. Nothing has changed yet.'
            : '*Request approval* asks the administrators; nothing changes until one of them approves.',
        ),
      ];
  return {
    type: 'modal',
    callback_id: VIEW.changePreviewModal,
    private_metadata: previewMetadata(change.id, mode),
    notify_on_close: true,
    title: plainText(MODAL_TITLES[change.action]),
    ...(nothing ? {} : { submit: plainText(mode === 'apply' ? 'Apply' : 'Request approval') }),
    close: plainText(nothing ? 'Close' : 'Cancel'),
    blocks: [...previewBlocks(change), ...footnote],
  };
}
