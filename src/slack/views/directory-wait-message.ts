import type { DirectoryWait } from '../people/slack-directory.js';
import { formatCount } from '../text/format-count.js';
import { type SlackMessage, textMessage } from './blocks.js';

/**
 * The first start ever has no saved directory yet: a change naming many Slack people waits for Slack's
 * listing (Tier 2, 200 people a page). The person is told at once why the preview takes a while.
 */
export function directoryWaitMessage(wait: DirectoryWait): SlackMessage {
  const minutes = Math.max(1, Math.ceil(wait.etaMs / 60_000));
  return textMessage(
    `Looking up ${formatCount(wait.people)} people in Slack, about ${minutes} minute${minutes === 1 ? '' : 's'}… ` +
      'The bot is reading the workspace directory for the first time; the preview follows here.',
  );
}
