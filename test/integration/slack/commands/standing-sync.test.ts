import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import {
  APPROVALS_CHANNEL,
  NOTIFY_CHANNEL,
  type Person,
  startBotWithTwoAdminsAndMember,
  type TestBot,
} from '../../harness.js';
import { buttonValue, changeIdOf, memberIds, textOf, waitForStatus } from './support.js';

const HOUR = 3_600_000;
let h: TestBot;
let admin: Person;
let otherAdmin: Person;
let member: Person;

beforeAll(async () => {
  ({ h, admin, otherAdmin, member } = await startBotWithTwoAdminsAndMember({
    env: { SYNC_INTERVAL: '1h', SYNC_MAX_REMOVALS: '2' },
  }));
});

afterAll(async () => {
  await h?.stop();
});

const waitFor = (check: () => void | Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 25 });

describe('standing syncs through Slack', () => {
  it('--keep keeps a group in step with its user group; the brake holds a big removal for Apply this run', async () => {
    const group = h.kantata.addGroup('Atlas');
    const people = Array.from({ length: 8 }, (_, i) => h.addPerson({ name: `Atlas ${i}` }));
    h.slack.addUsergroup(
      'S0ATLAS',
      'atlas',
      people.slice(0, 5).map((p) => p.slackId),
    );
    const refused = await h.command(member.slackId, 'sync Atlas from <!subteam^S0ATLAS|@atlas> --keep');
    expect(textOf(await h.waitForResponse(refused.responseUrl))).toContain(
      'Only Kantata account administrators',
    );

    const reply = await h.command(admin.slackId, 'sync Atlas from <!subteam^S0ATLAS|@atlas> --keep');
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain('`--keep`');
    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeIdOf(preview), ['applied']);
    expect(memberIds(h, group.id)).toHaveLength(5);
    await waitFor(async () => expect(await h.bot.store.getStandingSync(group.id)).not.toBeNull());

    const list = await h.command(member.slackId, 'syncs');
    const listed = textOf(await h.waitForResponse(list.responseUrl));
    expect(listed).toContain('*Atlas* from @atlas');
    expect(listed).toContain('every 1h');
    expect(listed).toContain('applied: added 5 people');

    // The user group gains 3 and loses 2; an hour later the run follows it and announces it.
    h.slack.addUsergroup(
      'S0ATLAS',
      'atlas',
      people.slice(2, 8).map((p) => p.slackId),
    );
    h.clock.advance(HOUR + 61_000);
    await waitFor(() =>
      expect(memberIds(h, group.id)).toEqual(
        people
          .slice(2, 8)
          .map((p) => p.kantataId)
          .sort(),
      ),
    );
    await waitFor(() =>
      expect(
        h.slack.messages
          .inChannel(NOTIFY_CHANNEL)
          .some((m) => textOf(m).includes('synced *Atlas* from @atlas: added 3 people, removed 2 people')),
      ).toBe(true),
    );

    // Emptied by mistake: the run is held; nobody leaves until an administrator applies it.
    h.slack.addUsergroup('S0ATLAS', 'atlas', []);
    h.clock.advance(HOUR + 61_000);
    let card: ReturnType<typeof h.slack.messages.inChannel>[number] | undefined;
    await waitFor(() => {
      card = h.slack.messages.inChannel(APPROVALS_CHANNEL).find((m) => textOf(m).includes('Apply this run'));
      expect(card).toBeDefined();
    });
    expect(textOf(card)).toContain('Skip it');
    expect(textOf(card)).toContain('has nobody in it');
    expect(memberIds(h, group.id)).toHaveLength(6);
    const heldId = buttonValue(card, ACTION.requestApprove);
    await h.click(otherAdmin.slackId, ACTION.requestApprove, heldId!, {
      channel: APPROVALS_CHANNEL,
      messageTs: card!.ts,
    });
    await waitForStatus(h, heldId!, ['applied']);
    expect(memberIds(h, group.id)).toEqual([]);

    const stop = await h.command(admin.slackId, 'unsync Atlas');
    expect(textOf(await h.waitForResponse(stop.responseUrl))).toContain(
      'Stopped the standing sync of *Atlas*',
    );
    const none = await h.command(admin.slackId, 'syncs');
    expect(textOf(await h.waitForResponse(none.responseUrl))).toContain('No group is kept in sync');
  });

  it('pauses a standing sync whose user group was deleted, and says so', async () => {
    const group = h.kantata.addGroup('Borealis');
    const p = h.addPerson({ name: 'Bo Realis' });
    h.slack.addUsergroup('S0BOREAL', 'borealis', [p.slackId]);
    const reply = await h.command(admin.slackId, 'sync Borealis from <!subteam^S0BOREAL|@borealis> --keep');
    const preview = await h.waitForResponse(reply.responseUrl);
    await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeIdOf(preview), ['applied']);
    await waitFor(async () => expect(await h.bot.store.getStandingSync(group.id)).not.toBeNull());
    h.slack.removeUsergroup('S0BOREAL');
    h.clock.advance(HOUR + 61_000);
    await waitFor(() =>
      expect(
        h.slack.messages
          .inChannel(NOTIFY_CHANNEL)
          .some((m) => textOf(m).includes('standing sync of *Borealis* from @borealis is paused')),
      ).toBe(true),
    );
    const list = await h.command(admin.slackId, 'syncs');
    expect(textOf(await h.waitForResponse(list.responseUrl))).toContain('Paused');
    expect(memberIds(h, group.id)).toEqual([p.kantataId]);
  });
});
