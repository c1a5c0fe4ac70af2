/**
 * Two bot processes of one app share one Slack budget (rate limits are per app and workspace). The fake
 * applies Slack's tiers across both; each process loads the directory of a 5,000-person workspace at the
 * same time, so their users.list calls run into 429s. A 1,000-person add by user group must still succeed:
 * a 429 is waited out, never a failure.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../src/slack/ids.js';
import {
  botEnv,
  clickPreviewButton,
  sendGroupsCommand,
  startBotProcess,
  waitForResponse,
} from '../../fakes/bot-process.js';
import { useBotProcessWorld } from '../../fakes/bot-process-world.js';
import type { FakeKantata } from '../../fakes/fake-kantata/index.js';
import { type FakeSlack, findElement } from '../../fakes/fake-slack/index.js';

describe('two bot processes sharing one Slack budget', { timeout: 240_000 }, () => {
  let kantata: FakeKantata;
  let slack: FakeSlack;
  let dir: string;

  // Slack's tiers, refilled ten times faster than Slack does so that the test takes seconds, not minutes.
  useBotProcessWorld(
    'bot-shared-budget-',
    (world) => {
      ({ kantata, slack, dir } = world);
    },
    { slack: { rateLimits: { speed: 10 } } },
  );

  it('adds 1,000 people by user group in a 5,000-person workspace while both load the directory', async () => {
    const people = slack.addUsers(5000, { prefix: 'w', domain: 'corp.test', start: 1 });
    kantata.addUsers(1000, 'w', 'corp.test');
    kantata.addUser({ email: 'boss@corp.test', name: 'Boss', admin: true });
    const boss = slack.addUser({ name: 'boss', realName: 'Boss', email: 'boss@corp.test' });
    slack.addUsergroup(
      'S0THOUSAND',
      'thousand',
      people.slice(0, 1000).map((p) => p.id),
    );
    const group = kantata.addGroup('Big Team');
    const envFor = (name: string) =>
      botEnv({ slack, kantata, storeUrl: `file:${join(dir, name, 'store.json')}` });
    const [a] = await Promise.all([
      startBotProcess({ env: envFor('a') }),
      startBotProcess({ env: envFor('b') }),
    ]);

    const responseUrl = slack.responseUrl();
    await sendGroupsCommand(a, slack, {
      userId: boss.id,
      text: 'add "Big Team" <!subteam^S0THOUSAND|@thousand>',
      responseUrl,
    });
    // Told at once that the directory is being read, then the preview.
    const first = await waitForResponse(slack, responseUrl, 1, a);
    expect(JSON.stringify(first)).toContain('Looking up 1,000 people');
    // Both processes list the workspace at Slack's Tier 2 pace (20 a minute after a burst); once Slack has
    // answered 429, the rest of the burst is not used: about a minute for the 26 pages.
    await vi.waitFor(() => expect(slack.responses.filter((r) => r.url === responseUrl)).toHaveLength(2), {
      timeout: 150_000,
      interval: 100,
    });
    const preview = await waitForResponse(slack, responseUrl, 2, a);
    const changeId = String(findElement(preview.blocks, ACTION.changeApply)?.element.value ?? '');
    expect(changeId).not.toBe('');
    await clickPreviewButton(a, slack, {
      userId: boss.id,
      actionId: ACTION.changeApply,
      responseUrl,
      value: changeId,
    });
    await vi.waitFor(() => expect(kantata.memberships(group.id)).toHaveLength(1000), { timeout: 60_000 });

    // The budget really was shared and exceeded, and nothing was reported as failed.
    expect(slack.rateLimitedCounts()['users.list'] ?? 0).toBeGreaterThan(0);
    const said = JSON.stringify(slack.responses.filter((r) => r.url === responseUrl).map((r) => r.body));
    expect(said).not.toContain('Something went wrong');
    expect(a.logs().some((r) => r.level === 'error')).toBe(false);
  });
});
