import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { NOTIFY_CHANNEL, type Person, startBotWithTwoAdminsAndMember, type TestBot } from '../../harness.js';
import { changeIdOf, memberIds, startCommandTestBot } from '../commands/support.js';
import {
  answerTo,
  buttonValue,
  cardSaying,
  changeOf,
  clickCard,
  notificationOf,
  sendRequest,
  textOf,
  waitForStatus,
} from './support.js';

const MINUTE = 60_000;

describe('Undo on a notification', () => {
  let h: TestBot;
  let admin: Person;
  let otherAdmin: Person;
  let member: Person;

  beforeAll(async () => {
    ({ h, admin, otherAdmin, member } = await startBotWithTwoAdminsAndMember({
      env: { UNDO_WINDOW: '15m' },
    }));
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** An administrator adds people directly; returns the change id once it is notified. */
  async function applied(groupName: string, people: Person[]): Promise<string> {
    h.kantata.addGroup(groupName);
    const reply = await h.command(admin.slackId, `add ${groupName} ${people.map((p) => p.email).join(' ')}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    await notificationOf(h, changeId);
    return changeId;
  }

  async function clickUndo(who: Person, changeId: string): Promise<string> {
    const note = await notificationOf(h, changeId);
    const responseUrl = h.slack.responseUrl();
    await h.click(who.slackId, ACTION.changeUndo, changeId, {
      responseUrl,
      channel: NOTIFY_CHANNEL,
      messageTs: note.ts,
    });
    return responseUrl;
  }

  it('inside the window: an ephemeral preview of the inverse, then Apply reverses the change, once', async () => {
    const bob = h.addPerson({ name: 'Bob Undone' });
    const changeId = await applied('Undoable', [bob]);
    const group = (await changeOf(h, changeId)).group;
    expect(memberIds(h, group.id)).toEqual([bob.kantataId]);
    h.clock.advance(10 * MINUTE);

    const responseUrl = await clickUndo(otherAdmin, changeId);
    const preview = await h.waitForResponse(responseUrl);
    expect(preview).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(preview)).toContain('Undo of change');
    expect(textOf(preview)).toContain('Bob Undone');
    const undoId = buttonValue(preview, ACTION.changeApply);
    expect(undoId).toBeDefined();
    expect(memberIds(h, group.id)).toEqual([bob.kantataId]);

    await h.click(otherAdmin.slackId, ACTION.changeApply, undoId!, { responseUrl });
    await waitForStatus(h, undoId!, ['applied']);
    expect(memberIds(h, group.id)).toEqual([]);
    expect((await changeOf(h, changeId)).undoneBy).toBe(undoId);
    expect(textOf(await notificationOf(h, undoId!))).toContain('Undo');

    const again = await clickUndo(admin, changeId);
    expect(await answerTo(h, again)).toContain('already been undone');
  });

  it('after the window: refused, nothing changes', async () => {
    const cat = h.addPerson({ name: 'Cat Kept' });
    const changeId = await applied('TooLate', [cat]);
    h.clock.advance(16 * MINUTE);
    const responseUrl = await clickUndo(admin, changeId);
    expect(await answerTo(h, responseUrl)).toContain('Undo is no longer available');
    expect(memberIds(h, (await changeOf(h, changeId)).group.id)).toEqual([cat.kantataId]);
  });

  it('administrators only', async () => {
    const dan = h.addPerson({ name: 'Dan Stays' });
    const changeId = await applied('AdminsUndo', [dan]);
    const responseUrl = await clickUndo(member, changeId);
    expect(await answerTo(h, responseUrl)).toContain('Only Kantata account administrators');
    expect(memberIds(h, (await changeOf(h, changeId)).group.id)).toEqual([dan.kantataId]);
  });
});

describe('APPROVAL_POLICY', () => {
  let h: TestBot | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('four-eyes: an administrator requests, another administrator approves, self-approval refused', async () => {
    h = await startCommandTestBot({ env: { APPROVAL_POLICY: 'four-eyes' } });
    const admin = h.addPerson({ name: 'Ada Admin', admin: true });
    const otherAdmin = h.addPerson({ name: 'Otto Admin', admin: true });
    const group = h.kantata.addGroup('FourEyes');
    const reply = await h.command(admin.slackId, `add FourEyes ${otherAdmin.email}`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(buttonValue(preview, ACTION.changeApply)).toBeUndefined();
    const changeId = await sendRequest(h, admin, `add FourEyes ${otherAdmin.email}`);
    const self = await clickCard(h, admin, ACTION.requestApprove, changeId);
    expect(await answerTo(h, self.responseUrl)).toContain('cannot approve your own request');
    await clickCard(h, otherAdmin, ACTION.requestApprove, changeId);
    await waitForStatus(h, changeId, ['applied']);
    await cardSaying(h, changeId, 'Added 1 person to FourEyes');
    expect(memberIds(h, group.id)).toEqual([otherAdmin.kantataId]);
  });

  it('admins-only: everyone else is refused with an explanation', async () => {
    h = await startCommandTestBot({ env: { APPROVAL_POLICY: 'admins-only' } });
    const member = h.addPerson({ name: 'Mo Member' });
    h.kantata.addGroup('Closed');
    const reply = await h.command(member.slackId, `add Closed ${member.email}`);
    expect(textOf(await h.waitForResponse(reply.responseUrl))).toContain(
      'only Kantata account administrators',
    );
  });
});
