import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSlashCommand } from '../../fakes/fake-slack/index.js';
import { type Person, SIGNING_SECRET, startTestBot, type TestBot } from '../harness.js';

let h: TestBot;
let ann: Person;
const logLines: string[] = [];

beforeAll(async () => {
  h = await startTestBot({ logLines });
  ann = h.addPerson({ name: 'Ann', admin: true });
});
afterAll(() => h.stop());

function command(opts: { timestamp?: number; badSignature?: boolean }) {
  return sendSlashCommand(
    h.endpoint,
    SIGNING_SECRET,
    {
      text: 'help',
      user_id: ann.slackId,
      response_url: h.slack.responseUrl(),
      trigger_id: h.slack.newTriggerId(),
    },
    opts,
  );
}

describe('requests that do not come from Slack', () => {
  it('refuses a bad signature with 401 and does nothing', async () => {
    const before = h.slack.responses.length;
    expect((await command({ badSignature: true })).status).toBe(401);
    expect(h.slack.responses.length).toBe(before);
  });

  it('refuses a replayed request (timestamp older than 5 minutes) with 401', async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await command({ timestamp: stale })).status).toBe(401);
  });

  it('keeps serving real requests afterwards', async () => {
    const reply = await h.command(ann.slackId, 'help');
    expect(JSON.stringify(reply.responses().at(-1)?.body)).toContain('/groups');
  });

  it('never writes a token or the signing secret to the log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('\n');
    for (const secret of [h.kantata.token, h.slack.botToken, SIGNING_SECRET])
      expect(log).not.toContain(secret);
  });
});
