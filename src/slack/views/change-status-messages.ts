import type { Change } from '../../approvals/types.js';
import { context, plainFallback, type SlackMessage, section } from './blocks.js';
import { changePhrase, fallbackGroupName, groupName } from './change-wording.js';

type ChangeFacts = Pick<Change, 'id' | 'action' | 'group' | 'plan'> & Partial<Pick<Change, 'syncSource'>>;

/** The preview, once sent for approval: where it went and what happens next. */
export function requestSentMessage(props: { change: ChangeFacts; approvalsChannelId: string }): SlackMessage {
  const { change } = props;
  const what = changePhrase(change, groupName(change.group), 'mrkdwn');
  return {
    text: plainFallback(`Request sent: ${changePhrase(change, fallbackGroupName(change.group), 'mrkdwn')}.`),
    blocks: [
      section(
        `:outbox_tray: Request sent to <#${props.approvalsChannelId}>: ${what}. ` +
          'An administrator will approve or deny it; you will get a direct message either way.',
      ),
      context(`\`/groups requests\` shows your pending requests · change \`${change.id}\``),
    ],
  };
}

/** The request was stored, but its card could not be posted: it is not lost, and admins can still see it. */
export function requestSavedCardFailedMessage(props: { change: ChangeFacts; refId: string }): SlackMessage {
  const { change } = props;
  return {
    text: plainFallback('Request saved, but the approval card could not be posted.'),
    blocks: [
      section(
        `Your request to ${changePhrase(change, groupName(change.group), 'mrkdwn')} is saved, ` +
          `but the bot could not post it to the approvals channel (reference ${props.refId}). ` +
          'Administrators can still find it with `/groups requests`.',
      ),
    ],
  };
}

/** The preview, once cancelled. */
export function cancelledMessage(change: ChangeFacts): SlackMessage {
  return {
    text: plainFallback(`Cancelled: nothing was changed in ${fallbackGroupName(change.group)}.`),
    blocks: [section(`Cancelled. Nothing was changed in ${groupName(change.group)}.`)],
  };
}
