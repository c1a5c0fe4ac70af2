import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK, VIEW } from '../../../../src/slack/ids.js';
import { viewClosedPayload } from '../../../fakes/fake-slack/index.js';
import { APPROVALS_CHANNEL, NOTIFY_CHANNEL, type Person, type TestBot } from '../../harness.js';
import {
  formValues,
  openModal,
  startModalBotWithDesign,
  submit,
  viewText,
  waitForView,
  withCallback,
  withTitle,
} from './support.js';

let h: TestBot;
let admin: Person;
let member: Person;
let design: { id: string; name: string };

beforeAll(async () => {
  ({ h, admin, member, design } = await startModalBotWithDesign());
});

afterAll(async () => {
  await h?.stop();
});

function memberIds(groupId: string): string[] {
  return h.kantata
    .memberships(groupId)
    .map((m) => m.userId)
    .sort();
}

function changeIdOf(view: { view: { private_metadata?: string } }): string {
  return JSON.parse(view.view.private_metadata ?? '{}').changeId;
}

describe('inline errors on submission', () => {
  it('asks for a group and for people', async () => {
    const viewId = await openModal(h, admin.slackId);
    const answer = await submit(h, admin.slackId, viewId, formValues({}));
    expect(answer.json.response_action).toBe('errors');
    expect(Object.keys(answer.json.errors).sort()).toEqual([BLOCK.modalGroup, BLOCK.modalPeople].sort());
  });

  it('lists every badly formed email', async () => {
    const viewId = await openModal(h, admin.slackId);
    const answer = await submit(
      h,
      admin.slackId,
      viewId,
      formValues({ group: design, emails: 'ok@example.com, not-an-email\nbob@ , ann@example.com' }),
    );
    expect(answer.json.response_action).toBe('errors');
    expect(Object.keys(answer.json.errors)).toEqual([BLOCK.modalEmails]);
    expect(answer.json.errors[BLOCK.modalEmails]).toContain('not-an-email');
    expect(answer.json.errors[BLOCK.modalEmails]).toContain('bob@');
    expect(answer.json.errors[BLOCK.modalEmails]).not.toContain('ok@example.com');
  });

  it('requires a reason from someone whose change needs approval', async () => {
    const bob = h.addPerson({ name: 'Bob' });
    const viewId = await openModal(h, member.slackId);
    const answer = await submit(
      h,
      member.slackId,
      viewId,
      formValues({ group: design, users: [bob.slackId] }),
    );
    expect(answer.json.response_action).toBe('errors');
    expect(Object.keys(answer.json.errors)).toEqual([BLOCK.modalReason]);
  });

  it('marks a group that is gone from Kantata', async () => {
    const bob = h.addPerson({ name: 'Bob Two' });
    const viewId = await openModal(h, admin.slackId);
    const gone = { id: '999999', name: 'Old Group' };
    const answer = await submit(h, admin.slackId, viewId, formValues({ group: gone, users: [bob.slackId] }));
    expect(answer.json.response_action).toBe('errors');
    expect(answer.json.errors[BLOCK.modalGroup]).toContain('no longer in Kantata');
  });

  it('shows why someone not linked to Kantata cannot go on', async () => {
    const stranger = h.slack.addUser({ name: 'Stranger', email: 'stranger@elsewhere.example' });
    const viewId = await openModal(h, stranger.id);
    const answer = await submit(
      h,
      stranger.id,
      viewId,
      formValues({ group: design, emails: 'x@example.com' }),
    );
    expect(answer.json.response_action).toBe('update');
    expect(viewText(answer.json.view)).toContain('No active Kantata user');
  });
});

describe('preview, then apply, in the modal', () => {
  it('turns into the preview, then applies and ends with the per-person result', async () => {
    const ann = h.addPerson({ name: 'Ann' });
    const ben = h.addPerson({ name: 'Ben' });
    const already = h.addPerson({ name: 'Cy Already' });
    h.kantata.addMembership(already.kantataId, design.id);
    const viewId = await openModal(h, admin.slackId);
    const values = formValues({
      group: design,
      users: [ann.slackId, already.slackId],
      emails: `${ben.email}\nnobody@example.com`,
      reason: 'new project',
    });
    const answer = await submit(h, admin.slackId, viewId, values);
    expect(answer.json.response_action).toBe('update');
    expect(answer.json.view.title.text).toBe('Preparing preview');

    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    expect(preview.view.submit.text).toBe('Apply');
    const text = viewText(preview.view);
    expect(text).toContain('Ann');
    expect(text).toContain('Ben');
    expect(text).toContain('*Already members (1):* Cy Already');
    expect(text).toContain('nobody@example.com');
    const changeId = changeIdOf(preview);
    expect((await h.bot.store.getChange(changeId))?.status).toBe('previewed');
    expect(memberIds(design.id)).toEqual([already.kantataId]);

    const applying = await submit(h, admin.slackId, viewId);
    expect(applying.json.response_action).toBe('update');
    expect(applying.json.view.title.text).toBe('Applying change');
    const result = await waitForView(h, viewId, withTitle('Change applied'), 'the result');
    expect(viewText(result.view)).toContain('Added 2 people to Design');
    expect(memberIds(design.id)).toEqual([ann.kantataId, ben.kantataId, already.kantataId].sort());
    expect((await h.bot.store.getChange(changeId))?.status).toBe('applied');
    await waitForView(
      h,
      viewId,
      () => h.slack.messages.inChannel(NOTIFY_CHANNEL).length > 0,
      'the notification',
    );
  });

  it('shows progress in place and the result last', async () => {
    const group = h.kantata.addGroup('Everyone');
    const people = Array.from({ length: 250 }, (_, i) => h.addPerson({ name: `Bulk ${i}` }));
    await h.bot.slack.context.directory.refresh();
    const viewId = await openModal(h, admin.slackId);
    await submit(h, admin.slackId, viewId, formValues({ group, users: people.map((p) => p.slackId) }));
    await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    // Slow enough (3 POSTs of 500 ms) to outlast the throttle's first second: a quick change shows no progress.
    h.kantata.setLatency(500);
    let result: Awaited<ReturnType<typeof waitForView>>;
    try {
      await submit(h, admin.slackId, viewId);
      result = await waitForView(h, viewId, withTitle('Change applied'), 'the result');
    } finally {
      h.kantata.setLatency(0);
    }
    expect(viewText(result.view)).toContain('Added 250 people to Everyone');
    const updates = h.slack.callsTo('views.update').filter((c) => c.args.view_id === viewId);
    const progress = updates.filter((c) => JSON.stringify(c.args.view).includes('of 250'));
    expect(progress.length).toBeGreaterThan(0);
    expect(JSON.stringify(updates.at(-1)?.args.view)).toContain('Added 250 people');
    expect(memberIds(group.id)).toHaveLength(250);
  });

  it('says when there is nothing to change, with no Apply', async () => {
    const dee = h.addPerson({ name: 'Dee' });
    h.kantata.addMembership(dee.kantataId, design.id);
    const viewId = await openModal(h, admin.slackId);
    await submit(h, admin.slackId, viewId, formValues({ group: design, users: [dee.slackId] }));
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    expect(preview.view.submit).toBeUndefined();
    expect(viewText(preview.view)).toContain('Nothing to change');
  });

  it('cancels the stored preview when the modal is closed', async () => {
    const eve = h.addPerson({ name: 'Eve' });
    const viewId = await openModal(h, admin.slackId);
    await submit(h, admin.slackId, viewId, formValues({ group: design, users: [eve.slackId] }));
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    const closed = await h.interact(
      viewClosedPayload({ userId: admin.slackId, view: h.slack.viewPayload(viewId) }),
    );
    expect(closed.status).toBe(200);
    const changeId = changeIdOf(preview);
    await expect
      .poll(async () => (await h.bot.store.getChange(changeId))?.status, { timeout: 5_000, interval: 20 })
      .toBe('cancelled');
  });

  it('refuses an admin who lost the role between preview and Apply', async () => {
    const former = h.addPerson({ name: 'Fay Former', admin: true });
    const gil = h.addPerson({ name: 'Gil' });
    const viewId = await openModal(h, former.slackId);
    await submit(h, former.slackId, viewId, formValues({ group: design, users: [gil.slackId] }));
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    expect(preview.view.submit.text).toBe('Apply');
    h.kantata.updateUser(former.kantataId, { admin: false, permission: 'collaborator' });
    h.clock.advance(61_000); // admin status may be cached for at most 60 s (SPEC §2)
    await submit(h, former.slackId, viewId);
    const refused = await waitForView(h, viewId, withTitle('Something went wrong'), 'the refusal');
    expect(viewText(refused.view)).toContain('Only Kantata account administrators');
    expect(memberIds(design.id)).not.toContain(gil.kantataId);
    expect((await h.bot.store.getChange(changeIdOf(preview)))?.status).toBe('previewed');
  });
});

describe('requests and members from the modal', () => {
  it('turns a non-admin’s change into a pending request', async () => {
    const hal = h.addPerson({ name: 'Hal' });
    const viewId = await openModal(h, member.slackId);
    const values = formValues({ group: design, users: [hal.slackId], reason: 'joins the design team' });
    const answer = await submit(h, member.slackId, viewId, values);
    expect(answer.json.response_action).toBe('update');
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    expect(preview.view.submit.text).toBe('Request approval');
    await submit(h, member.slackId, viewId);
    await waitForView(h, viewId, withTitle('Request sent'), 'the request confirmation');
    const change = await h.bot.store.getChange(changeIdOf(preview));
    expect(change?.status).toBe('pending');
    expect(change?.reason).toBe('joins the design team');
    expect(memberIds(design.id)).not.toContain(hal.kantataId);
    const cards = h.slack.messages.inChannel(APPROVALS_CHANNEL);
    expect(cards.some((m) => JSON.stringify(m.blocks).includes('joins the design team'))).toBe(true);
  });

  it('keeps the request when the approval card cannot be posted, and says so', async () => {
    const ivy = h.addPerson({ name: 'Ivy' });
    const viewId = await openModal(h, member.slackId);
    await submit(
      h,
      member.slackId,
      viewId,
      formValues({ group: design, users: [ivy.slackId], reason: 'needs access' }),
    );
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    h.slack.failNext('chat.postMessage', 'channel_not_found');
    await submit(h, member.slackId, viewId);
    const sent = await waitForView(h, viewId, withTitle('Request sent'), 'the request confirmation');
    expect(viewText(sent.view)).toContain('did not take the approvers’ card yet');
    expect((await h.bot.store.getChange(changeIdOf(preview)))?.status).toBe('pending');
  });

  it('shows the first page of members, read-only', async () => {
    const viewId = await openModal(h, member.slackId);
    const answer = await submit(h, member.slackId, viewId, formValues({ action: 'members', group: design }));
    expect(answer.json.response_action).toBe('update');
    const members = await waitForView(h, viewId, withTitle('Group members'), 'the members');
    const count = h.kantata.memberships(design.id).length;
    expect(viewText(members.view)).toContain(`${count} members`);
    expect(viewText(members.view)).toContain('Ann');
    expect(members.view.submit).toBeUndefined();
  });
});
