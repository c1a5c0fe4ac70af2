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

/** A group kept in sync with a new user group of these people (named after the group), as an admin sets it up. */
async function keepInSync(name: string, usergroupId: string, people: Person[]) {
  const group = h.kantata.addGroup(name);
  const handle = name.toLowerCase();
  h.slack.addUsergroup(
    usergroupId,
    handle,
    people.map((p) => p.slackId),
  );
  const reply = await h.command(
    admin.slackId,
    `sync ${name} from <!subteam^${usergroupId}|@${handle}> --keep`,
  );
  const preview = await h.waitForResponse(reply.responseUrl);
  await h.click(admin.slackId, ACTION.changeApply, changeIdOf(preview), { responseUrl: reply.responseUrl });
  await waitForStatus(h, changeIdOf(preview), ['applied']);
  await waitFor(async () => expect(await h.bot.store.getStandingSync(group.id)).not.toBeNull());
  return group;
}

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

  it('holds a run whose user group cannot be read on a card; Apply this run reads it again; Skip it skips at once', async () => {
    const people = Array.from({ length: 5 }, (_, i) => h.addPerson({ name: `Cygnus ${i}` }));
    const group = await keepInSync('Cygnus', 'S0CYGNUS', people.slice(0, 3));
    const cards = () =>
      h.slack.messages
        .inChannel(APPROVALS_CHANNEL)
        .filter((m) => textOf(m).includes('Cygnus') && textOf(m).includes('could not be read'));

    // Slack fails when the run reads the user group: held on a card that says so and why.
    h.slack.failNext('usergroups.users.list', 'fatal_error', 1);
    h.clock.advance(HOUR + 61_000);
    await waitFor(() => expect(cards()).toHaveLength(1));
    const card = cards()[0];
    expect(textOf(card)).toContain('Apply this run');
    expect(textOf(card)).toContain('Skip it');
    expect(textOf(card)).toContain('*Why:* Slack is not answering right now');
    expect(textOf(card)).toContain('sync Cygnus from @cygnus (the source could not be read)');
    const heldId = buttonValue(card, ACTION.requestApprove)!;
    expect(buttonValue(card, ACTION.syncSkip)).toBe(heldId);
    // Once per held run: the next interval waits for the decision, no second card.
    h.clock.advance(HOUR + 61_000);
    await waitFor(async () =>
      expect((await h.bot.store.getStandingSync(group.id))?.lastRun?.outcome).toBe('waiting'),
    );
    expect(cards()).toHaveLength(1);

    // Apply this run while Slack still fails: said so to the clicker, still held, nobody changed.
    h.slack.failNext('usergroups.users.list', 'fatal_error', 1);
    const first = h.slack.responseUrl();
    await h.click(otherAdmin.slackId, ACTION.requestApprove, heldId, {
      channel: APPROVALS_CHANNEL,
      messageTs: card!.ts,
      responseUrl: first,
    });
    expect(textOf(await h.waitForResponse(first))).toContain('still cannot be read');
    expect((await h.bot.store.getChange(heldId))?.status).toBe('pending');
    expect(memberIds(h, group.id)).toHaveLength(3);

    // Readable again: the diff of that moment is applied.
    h.slack.addUsergroup(
      'S0CYGNUS',
      'cygnus',
      people.slice(1, 5).map((p) => p.slackId),
    );
    await h.click(otherAdmin.slackId, ACTION.requestApprove, heldId, {
      channel: APPROVALS_CHANNEL,
      messageTs: card!.ts,
    });
    await waitForStatus(h, heldId, ['applied']);
    expect(memberIds(h, group.id)).toEqual(
      people
        .slice(1, 5)
        .map((p) => p.kantataId)
        .sort(),
    );

    // Emptied by mistake, then Skip it: skipped at the click, no dialog, the card and its thread say so.
    h.slack.addUsergroup('S0CYGNUS', 'cygnus', []);
    h.clock.advance(HOUR + 61_000);
    let held: ReturnType<typeof h.slack.messages.inChannel>[number] | undefined;
    await waitFor(() => {
      held = h.slack.messages
        .inChannel(APPROVALS_CHANNEL)
        .find((m) => textOf(m).includes('Cygnus') && textOf(m).includes('has nobody in it'));
      expect(held).toBeDefined();
    });
    const skipId = buttonValue(held, ACTION.syncSkip)!;
    const opened = h.slack.callsTo('views.open').length;
    const skipReply = h.slack.responseUrl();
    await h.click(otherAdmin.slackId, ACTION.syncSkip, skipId, {
      channel: APPROVALS_CHANNEL,
      messageTs: held!.ts,
      responseUrl: skipReply,
    });
    expect(textOf(await h.waitForResponse(skipReply))).toContain('Skipped this run');
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);
    const skipped = await h.bot.store.getChange(skipId);
    expect(skipped?.status).toBe('denied');
    expect(skipped?.decisionReason).toBeUndefined();
    await waitFor(() => {
      const redrawn = h.slack.messages.inChannel(APPROVALS_CHANNEL).find((m) => m.ts === held!.ts);
      expect(textOf(redrawn)).toContain('SKIPPED');
      expect(buttonValue(redrawn, ACTION.syncSkip)).toBeUndefined();
    });
    expect(memberIds(h, group.id)).toHaveLength(4);
    await h.command(admin.slackId, 'unsync Cygnus');
  });

  it('pauses a standing sync whose user group was deleted, and says so', async () => {
    const p = h.addPerson({ name: 'Bo Realis' });
    const group = await keepInSync('Borealis', 'S0BOREAL', [p]);
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
