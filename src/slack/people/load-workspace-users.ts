import type { webApi } from '@slack/bolt';
import { slackErrorCode } from './slack-people-error.js';
import { parseSlackUser, type SlackProfile } from './slack-profile.js';

/** users.list is Tier 2 (about 20 calls a minute): ask for Slack's recommended maximum of 200 a page. */
const PAGE_SIZE = 200;
/**
 * A page refused for rate limiting is asked again this many times before the load gives up (only for a
 * client without the pacer, which waits out every 429 itself).
 */
const RATE_LIMIT_RETRIES = 2;
/** 1,000 pages are 200,000 people: more means Slack keeps handing out cursors, which we do not follow forever. */
export const MAX_PAGES = 1000;

export type UsersListClient = Pick<webApi.WebClient, 'users'>;

/** One users.list page: the people on it (members without an id skipped) and where the next one starts ('' at the end). */
export async function listUsersPage(
  client: UsersListClient,
  cursor: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<{ profiles: SlackProfile[]; nextCursor: string }> {
  const page = await listPage(client, cursor === '' ? undefined : cursor, sleep);
  const profiles: SlackProfile[] = [];
  for (const member of page.members ?? []) {
    const profile = parseSlackUser(member);
    if (profile) profiles.push(profile);
  }
  return { profiles, nextCursor: page.response_metadata?.next_cursor || '' };
}

async function listPage(
  client: UsersListClient,
  cursor: string | undefined,
  sleep: (ms: number) => Promise<void>,
) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.users.list({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    } catch (error) {
      const wait = rateLimitWaitMs(error);
      if (wait === undefined || attempt >= RATE_LIMIT_RETRIES) throw error;
      await sleep(wait);
    }
  }
}

/**
 * How long to wait before asking again after a rate limit; undefined for any other error.
 * With `rejectRateLimitedCalls`, WebClient throws at once with `retryAfter`; otherwise it has already
 * slept for Retry-After and throws only because its retry budget (often 0 in this app) is spent.
 */
function rateLimitWaitMs(error: unknown): number | undefined {
  if (slackErrorCode(error) === 'slack_webapi_rate_limited_error') {
    const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
    return Math.min(typeof retryAfter === 'number' ? retryAfter : 30, 60) * 1000;
  }
  if (error instanceof Error && /rate limit/i.test(error.message)) return 0;
  return undefined;
}
