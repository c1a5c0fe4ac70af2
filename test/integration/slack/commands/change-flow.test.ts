import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import { NOTIFY_CHANNEL, type Person, startBotWithTwoAdminsAndMember, type TestBot } from '../../harness.js';
import {
  buttonValue,
  changeIdOf,
  expectAllAccepted,
  memberIds,
  membershipPosts,
  notificationOf,
  textOf,
  waitForStatus,
} from './support.js';

let h: TestBot;
let admin: Person;
let otherAdmin: Person;
let member: Person;

beforeAll(async () => {
  ({ h, admin, otherAdmin, member } = await startBotWithTwoAdminsAndMember());
});

afterAll(async () => {
  await h?.stop();
});

describe('an administrator adds people', () => {
  it('previews, applies on Apply, shows the per-person result and notifies the channel', async () => {
    const group = h.kantata.addGroup('Design');
    const bob = h.addPerson({ name: 'Bob Builder' });
    const cat = h.addPerson({ name: 'Cat Already' });
    h.kantata.addMembership(cat.kantataId, group.id);

    const reply = await h.command(
      admin.slackId,
      `add Design <@${bob.slackId}> ${cat.email} nobody@example.com --reason New starters`,
    );
    const preview = await h.waitForResponse(reply.responseUrl);
    const previewText = textOf(preview);
    expect(previewText).toContain('Bob Builder');
    expect(previewText).toContain('Already members (1)');
    expect(previewText).toContain('No Kantata user has this email or id');
    expect(previewText).toContain('nobody@example.com');
    expect(buttonValue(preview, ACTION.changeRequest)).toBeUndefined();
    const changeId = changeIdOf(preview);
    expect(memberIds(h, group.id)).toEqual([cat.kantataId]);

    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toEqual([bob.kantataId, cat.kantataId].sort());

    await vi.waitFor(() => {
      const last = h.responsesTo(reply.responseUrl).at(-1)?.body;
      expect(textOf(last)).toContain('Added 1 person to Design');
    });
    const responses = h.responsesTo(reply.responseUrl).map((r) => r.body);
    expect(textOf(responses[1])).toContain('Applying');
    expect(responses.slice(1).every((b) => b.replace_original === true)).toBe(true);
    const result = textOf(responses.at(-1));
    expect(result).toContain('Added (1)');
    expect(result).toContain('Already members (1)');
    expect(result).not.toContain(ACTION.changeApply);

    const [note] = await notificationOf(h, changeId);
    const noteText = textOf(note);
    expect(noteText).toContain(`<@${admin.slackId}> added 1 person to *Design*`);
    expect(noteText).toContain('Bob Builder');
    expect(noteText).toContain('New starters');
    expect(noteText).toContain(ACTION.changeUndo);
    // The message is visible in Slack a moment before the bot records that it was posted.
    await vi.waitFor(async () => {
      const stored = await h.bot.store.getChange(changeId);
      expect(stored?.notification?.status).toBe('posted');
      expect(stored?.locations?.notifyTs).toBe(note?.ts);
    });
    expectAllAccepted(h);
  });

  it('applies an Undo preview (from the notification) through the same Apply button', async () => {
    const group = h.kantata.addGroup('Undoable');
    const finn = h.addPerson({ name: 'Finn Mistake' });
    const reply = await h.command(admin.slackId, `add Undoable ${finn.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    const [note] = await notificationOf(h, changeId);
    expect(memberIds(h, group.id)).toEqual([finn.kantataId]);

    const undoUrl = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.changeUndo, changeId, {
      responseUrl: undoUrl,
      channel: NOTIFY_CHANNEL,
      messageTs: note!.ts,
    });
    const undoPreview = await h.waitForResponse(undoUrl);
    const undoId = buttonValue(undoPreview, ACTION.changeApply);
    expect(undoId).toBeDefined();
    await h.click(admin.slackId, ACTION.changeApply, undoId!, { responseUrl: undoUrl });
    const undone = await waitForStatus(h, undoId!, ['applied']);
    expect(undone.undoOf).toBe(changeId);
    expect(memberIds(h, group.id)).toEqual([]);
    await vi.waitFor(() =>
      expect(textOf(h.responsesTo(undoUrl).at(-1)?.body)).toContain('Removed 1 person from Undoable'),
    );
    expect(textOf((await notificationOf(h, undoId!))[0])).toContain('Undo');
  });

  it('removes people the same way', async () => {
    const group = h.kantata.addGroup('Ops');
    const dan = h.addPerson({ name: 'Dan Leaving' });
    const eve = h.addPerson({ name: 'Eve Staying' });
    h.kantata.addMembers(group.id, [dan.kantataId, eve.kantataId]);

    const reply = await h.command(admin.slackId, `remove Ops ${dan.email} <@${member.slackId}>`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain('Will be removed');
    expect(textOf(preview)).toContain('Not members (1)');
    const changeId = changeIdOf(preview);
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    expect(memberIds(h, group.id)).toEqual([eve.kantataId]);
    await vi.waitFor(() =>
      expect(textOf(h.responsesTo(reply.responseUrl).at(-1)?.body)).toContain('Removed 1 person from Ops'),
    );
    const [note] = await notificationOf(h, changeId);
    expect(textOf(note)).toContain('removed 1 person from *Ops*');
  });

  it('says when there is nothing to change and offers no Apply', async () => {
    const group = h.kantata.addGroup('Full');
    h.kantata.addMembership(member.kantataId, group.id);
    const reply = await h.command(admin.slackId, `add Full ${member.email}`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain('Nothing to change');
    expect(buttonValue(preview, ACTION.changeApply)).toBeUndefined();
    expect(buttonValue(preview, ACTION.changeRequest)).toBeUndefined();
  });

  it('cancels a preview without changing anything', async () => {
    const group = h.kantata.addGroup('Cancelled');
    const reply = await h.command(admin.slackId, `add Cancelled ${member.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeCancel, changeId, { responseUrl: reply.responseUrl });
    expect(textOf(await h.waitForResponse(reply.responseUrl, 2))).toContain('Cancelled');
    expect((await h.bot.store.getChange(changeId))?.status).toBe('cancelled');
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    expect(textOf(await h.waitForResponse(reply.responseUrl, 3))).toContain('already cancelled');
    expect(memberIds(h, group.id)).toEqual([]);
  });
});

describe('authorization at the moment of the click', () => {
  it('refuses guests and explains to people without a Kantata user why they cannot change groups', async () => {
    h.kantata.addGroup('Closed');
    const guest = h.addPerson({ name: 'Gus Guest', guest: true });
    const guestReply = await h.command(guest.slackId, `add Closed ${member.email}`);
    expect(textOf(await h.waitForResponse(guestReply.responseUrl))).toContain('Guests cannot use');
    const stranger = h.slack.addUser({ name: 'stranger', email: 'stranger@elsewhere.com' });
    const strangerReply = await h.command(stranger.id, `add Closed ${member.email}`);
    const text = textOf(await h.waitForResponse(strangerReply.responseUrl));
    expect(text).toContain('No active Kantata user');
    expect(text).toContain('/groups link');
    expect(await h.bot.store.listChanges({ statuses: ['previewed'] })).not.toContainEqual(
      expect.objectContaining({ group: expect.objectContaining({ name: 'Closed' }) }),
    );
  });

  it('shows a non-administrator Request approval instead of Apply, and sends the request', async () => {
    h.kantata.addGroup('Requests');
    const reply = await h.command(member.slackId, `add Requests ${admin.email} --reason Needs access`);
    const preview = await h.waitForResponse(reply.responseUrl);
    expect(buttonValue(preview, ACTION.changeApply)).toBeUndefined();
    const changeId = buttonValue(preview, ACTION.changeRequest);
    expect(changeId).toBeDefined();
    await h.click(member.slackId, ACTION.changeRequest, changeId!, { responseUrl: reply.responseUrl });
    const sent = await h.waitForResponse(reply.responseUrl, 2);
    expect(sent.replace_original).toBe(true);
    expect(textOf(sent)).toContain('Request sent to <#C0APPROVE>');
    expect((await h.bot.store.getChange(changeId!))?.status).toBe('pending');
  });

  it("refuses a non-administrator who clicks an administrator's Apply, and changes nothing", async () => {
    const group = h.kantata.addGroup('Guarded');
    const reply = await h.command(admin.slackId, `add Guarded ${member.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    const postsBefore = membershipPosts(h);

    const forged = h.slack.responseUrl();
    await h.click(member.slackId, ACTION.changeApply, changeId, { responseUrl: forged });
    expect(textOf(await h.waitForResponse(forged))).toContain('Only the person who made this preview');
    // Another administrator is refused for the true reason: the preview is not theirs (issue 15).
    const otherUrl = h.slack.responseUrl();
    await h.click(otherAdmin.slackId, ACTION.changeApply, changeId, { responseUrl: otherUrl });
    const otherAnswer = textOf(await h.waitForResponse(otherUrl));
    expect(otherAnswer).toContain('Only the person who made this preview');
    expect(otherAnswer).not.toContain('Only Kantata account administrators');
    // A forged Approve on a preview nobody sent for approval says so, not "already handled".
    const approveUrl = h.slack.responseUrl();
    await h.click(otherAdmin.slackId, ACTION.requestApprove, changeId, { responseUrl: approveUrl });
    const approveAnswer = textOf(await h.waitForResponse(approveUrl));
    expect(approveAnswer).toContain('never sent for approval');
    expect(approveAnswer).not.toContain('already');

    expect((await h.bot.store.getChange(changeId))?.status).toBe('previewed');
    expect(memberIds(h, group.id)).toEqual([]);
    expect(membershipPosts(h)).toBe(postsBefore);
  });

  it('applies once when Apply is clicked twice at the same time, and tells the second click who won', async () => {
    const group = h.kantata.addGroup('Twice');
    const people = Array.from({ length: 5 }, (_, i) => h.addPerson({ name: `Twin ${i}` }));
    const reply = await h.command(admin.slackId, `add Twice ${people.map((p) => p.email).join(' ')}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    const postsBefore = membershipPosts(h);
    const first = h.slack.responseUrl();
    const second = h.slack.responseUrl();
    await Promise.all([
      h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: first }),
      h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: second }),
    ]);
    await waitForStatus(h, changeId, ['applied']);
    await vi.waitFor(() => {
      const answers = [first, second].map((url) => textOf(h.responsesTo(url).at(-1)?.body));
      expect(answers.some((t) => t.includes('Added 5 people to Twice'))).toBe(true);
      expect(answers.some((t) => /already (approved and is being )?applied/.test(t))).toBe(true);
    });
    expect(membershipPosts(h) - postsBefore).toBe(1);
    expect(memberIds(h, group.id)).toEqual(people.map((p) => p.kantataId).sort());
    expect(await notificationOf(h, changeId)).toHaveLength(1);
  });

  it('answers a click on an old preview with who applied it and when', async () => {
    h.kantata.addGroup('Old');
    const reply = await h.command(admin.slackId, `add Old ${member.email}`);
    const changeId = changeIdOf(await h.waitForResponse(reply.responseUrl));
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: reply.responseUrl });
    await waitForStatus(h, changeId, ['applied']);
    const later = h.slack.responseUrl();
    await h.click(admin.slackId, ACTION.changeApply, changeId, { responseUrl: later });
    const answer = textOf(await h.waitForResponse(later));
    expect(answer).toContain('already applied');
    expect(answer).toContain(`<@${admin.slackId}>`);
  });
});
