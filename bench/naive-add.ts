import { Agent, request } from 'undici';

/**
 * The baseline: what a simple script does to add people to a group. One
 * `POST /user_group_memberships` per person, one after another, over a keep-alive connection. It is
 * given the Kantata user ids for free (no lookups, no membership reads, no Slack), so it is the most
 * favourable naive run there is, and the ratio to it understates what batching gains.
 */
export async function naiveAdd(opts: {
  baseUrl: string;
  token: string;
  groupId: string;
  userIds: readonly string[];
}): Promise<{ wallMs: number; posts: number; failed: number }> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const started = performance.now();
  let failed = 0;
  try {
    for (const userId of opts.userIds) {
      const response = await request(`${opts.baseUrl}/user_group_memberships`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          user_group_membership: { user_id: Number(userId), workspace_group_id: Number(opts.groupId) },
        }),
      });
      await response.body.text();
      if (response.statusCode !== 200) failed += 1;
    }
  } finally {
    await dispatcher.close();
  }
  return { wallMs: performance.now() - started, posts: opts.userIds.length, failed };
}
