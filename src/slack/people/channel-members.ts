import type { webApi } from '@slack/bolt';
import { listingError, SlackPeopleError } from './slack-people-error.js';

/** Slack recommends pages of at most 200 for cursor-paged methods (it allows up to 1000). */
const PAGE_SIZE = 200;
/** A guard against a cursor that never ends (a Slack fault): 500 pages is 100,000 members. */
const MAX_PAGES = 500;

/**
 * Every member id of a channel through conversations.members (Tier 4), page by page. The WebClient waits out
 * 429s (its queue honours Retry-After), so a 5,000-member channel costs 25 calls and never fails on a limit.
 * A private channel the bot is not in answers `channel_not_found`, exactly like a channel that does not
 * exist: both become `channel_not_visible`, whose message tells the person to invite the bot.
 */
export async function listChannelMembers(
  client: Pick<webApi.WebClient, 'conversations'>,
  channelId: string,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let res: Awaited<ReturnType<webApi.WebClient['conversations']['members']>>;
    try {
      res = await client.conversations.members({
        channel: channelId,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      throw channelError(channelId, error);
    }
    for (const id of res.members ?? []) if (typeof id === 'string' && id !== '') ids.push(id);
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return [...new Set(ids)];
  }
  throw new SlackPeopleError('slack_unavailable', 'Slack kept paging the channel members without end.');
}

function channelError(channelId: string, error: unknown): SlackPeopleError {
  return listingError(
    error,
    {
      codes: ['channel_not_found', 'not_in_channel'],
      code: 'channel_not_visible',
      message: `The bot cannot see channel ${channelId}.`,
    },
    'Slack did not list the channel members.',
  );
}
