/**
 * `/metrics` (METRICS_PORT) after real work: a previewed and applied change moves the change and person
 * counters, Kantata and Slack calls are counted by method and status with latencies, store commits are
 * timed, process metrics are there, and no label value holds a name, an email, an id or a token.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../src/slack/ids.js';
import { type Person, startBotWithAdminAndMember, type TestBot } from '../harness.js';
import { changeIdOf, waitForStatus } from '../slack/commands/support.js';
import { httpGet } from './http-get.js';

let h: TestBot;
let admin: Person;

beforeAll(async () => {
  ({ h, admin } = await startBotWithAdminAndMember({ env: { METRICS_PORT: '0' } }));
});

afterAll(async () => {
  await h?.stop();
});

const scrape = async () => {
  const { status, body, contentType } = await httpGet(`http://127.0.0.1:${h.bot.metricsPort}/metrics`);
  expect(status).toBe(200);
  expect(contentType).toContain('text/plain');
  return body;
};

/** The value of one series (`name{a="x",b="y"}`), 0 when absent. */
function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return 0;
}

/** Every label value of every series. */
function labelValues(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => [...line.matchAll(/\w+="([^"]*)"/g)].map((m) => m[1]!));
}

describe('/metrics', () => {
  it('is served on METRICS_PORT only, not next to /slack/events', async () => {
    expect(h.bot.metricsPort).toBeGreaterThan(0);
    expect(h.bot.metricsPort).not.toBe(h.bot.port);
    const onSlackPort = await httpGet(`http://127.0.0.1:${h.bot.port}/metrics`);
    expect(onSlackPort.status).not.toBe(200);
    expect(onSlackPort.body).not.toContain('groups_');
  });

  it('counts a change, its people, Kantata and Slack calls and store commits; labels hold no personal data', async () => {
    const before = await scrape();
    const group = h.kantata.addGroup('Metrics Team');
    const bea = h.addPerson({ name: 'Bea Metric' });
    const cid = h.addPerson({ name: 'Cid Metric' });
    const dot = h.addPerson({ name: 'Dot Already' });
    h.kantata.addMembership(dot.kantataId, group.id);

    const reply = await h.command(
      admin.slackId,
      `add "Metrics Team" <@${bea.slackId}> ${cid.email} ${dot.email} --reason metrics`,
    );
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    // The counters move once the change is final (status, then audit row, then the report to the port);
    // the channel notice is posted after the clicker's result, so it is waited for too.
    let after = '';
    await vi.waitFor(async () => {
      after = await scrape();
      expect(
        seriesValue(after, 'groups_changes_total', { action: 'add', outcome: 'applied' }),
      ).toBeGreaterThan(seriesValue(before, 'groups_changes_total', { action: 'add', outcome: 'applied' }));
      const notices = { method: 'chat.postMessage', status: '200' };
      expect(seriesValue(after, 'slack_api_requests_total', notices)).toBeGreaterThan(
        seriesValue(before, 'slack_api_requests_total', notices),
      );
    });

    const moved = (name: string, labels: Record<string, string> = {}) =>
      seriesValue(after, name, labels) - seriesValue(before, name, labels);
    expect(moved('groups_changes_total', { action: 'add', outcome: 'applied' })).toBe(1);
    expect(moved('groups_people_total', { action: 'add', outcome: 'added' })).toBe(2);
    expect(moved('groups_people_total', { action: 'add', outcome: 'already_member' })).toBe(1);
    expect(
      moved('kantata_requests_total', { method: 'POST', route: '/user_group_memberships', status: '200' }) +
        moved('kantata_requests_total', { method: 'POST', route: '/user_group_memberships', status: '201' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      moved('kantata_request_duration_seconds_count', { method: 'GET', route: '/workspace_groups' }),
    ).toBeGreaterThan(0);
    expect(moved('slack_api_requests_total', { method: 'chat.postMessage', status: '200' })).toBeGreaterThan(
      0,
    );
    expect(moved('slack_api_request_duration_seconds_count', { method: 'chat.postMessage' })).toBeGreaterThan(
      0,
    );
    expect(
      moved('groups_store_commit_duration_seconds_count', { operation: 'transitionChange' }),
    ).toBeGreaterThan(0);
    expect(after).toMatch(/^groups_work_in_flight \d+$/m);
    expect(after).toMatch(/^slack_socket_connections 0$/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);

    const personal = [admin, bea, cid, dot].flatMap((p) => [p.name, p.email, p.slackId, p.kantataId]);
    const secrets = [h.slack.botToken, h.kantata.token, 'test-signing-secret'];
    const values = labelValues(after);
    for (const value of values) {
      for (const forbidden of [...personal, ...secrets, group.id, group.name, changeId]) {
        expect(value).not.toContain(forbidden);
      }
    }
    expect(after).not.toContain(h.kantata.token);
    expect(after).not.toContain(h.slack.botToken);
  });
});
