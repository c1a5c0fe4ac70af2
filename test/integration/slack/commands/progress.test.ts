import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import type { TestBot } from '../../harness.js';
import {
  changeIdOf,
  expectAllAccepted,
  memberIds,
  startCommandTestBot,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;

beforeAll(async () => {
  // One Kantata request at a time, each slow: a 500-person add takes a few seconds, batch after batch.
  h = await startCommandTestBot({ env: { KANTATA_CONCURRENCY: '1' } });
});

afterAll(async () => {
  await h?.stop();
});

it('shows Applying…, a few progress updates and the result, within the five uses of a response_url', async () => {
  const admin = h.addPerson({ name: 'Ada Admin', admin: true });
  const group = h.kantata.addGroup('Slow');
  const people = h.kantata.addUsers(500, 'slow');
  const reply = await h.command(admin.slackId, `add Slow ${people.map((p) => p.email).join(' ')}`);
  const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));

  h.kantata.setLatency(250);
  await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeId, ['applied']);
  await vi.waitFor(() =>
    expect(textOf(h.responsesTo(reply.responseUrl).at(-1)?.body)).toContain('Added 500 people to Slow'),
  );
  h.kantata.setLatency(0);

  const bodies = h.responsesTo(reply.responseUrl).map((r) => r.body);
  expect(bodies.length).toBeLessThanOrEqual(5);
  expect(textOf(bodies[1])).toContain('Applying');
  const progress = bodies.slice(2, -1);
  expect(progress.length).toBeLessThanOrEqual(2);
  for (const update of progress) expect(textOf(update)).toMatch(/Adding [0-9,]+ of 500 .*[▓░]{10}/);
  expect(bodies.slice(1).every((b) => b.replace_original === true)).toBe(true);
  expect(memberIds(h, group.id)).toHaveLength(500);
  expectAllAccepted(h);
});
