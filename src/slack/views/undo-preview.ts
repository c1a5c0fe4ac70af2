import type { Change } from '../../approvals/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { describeActor } from '../text/slack-actor.js';
import { slackDate } from '../text/slack-date.js';
import { context, plainFallback, type SlackMessage } from './blocks.js';
import { type PreviewProps, previewMessage } from './preview-message.js';

export type UndoPreviewProps = {
  /** The inverse change, stored as a preview (`undoOf` set). */
  undo: PreviewProps['change'];
  original: Pick<Change, 'id' | 'appliedAt' | 'appliedBy' | 'requestedBy'>;
};

/**
 * Undo goes through the normal preview and apply path (SPEC §4.4): the inverse change as a preview with
 * Apply and Cancel, shown only to the administrator who clicked Undo. Apply is checked again on its click.
 */
export function undoPreviewMessage(props: UndoPreviewProps): SlackMessage {
  const preview = previewMessage({ change: props.undo, allowed: { canApply: true, canRequest: false } });
  const by = describeActor(props.original.appliedBy ?? props.original.requestedBy);
  const when = slackDate(props.original.appliedAt);
  const note = context(
    `↩️ Undo of change \`${props.original.id}\`${by ? ` applied by ${by}` : ''}${when ? ` ${when}` : ''}. ` +
      'Applying this reverses it; only you see this preview.',
  );
  const [first, ...rest] = preview.blocks;
  return {
    text: plainFallback(escapeMrkdwn(`Undo: ${preview.text}`)),
    blocks: first ? [first, note, ...rest] : [note],
  };
}
