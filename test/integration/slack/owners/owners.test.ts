import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/slack/ids.js';
import type { TestBot } from '../../harness.js';
import {
  answerTo,
  cardSaying,
  changeOf,
  clickCard,
  denyWithReason,
  sendRequest,
  textOf,
  waitForStatus,
} from '../approvals/support.js';
import { memberIds } from '../commands/support.js';
import {
  clickInDm,
  expectDecisionButtons,
  ownerDmOf,
  ownerDmSaying,
  said,
  startOwnersBot,
} from './support.js';

let h: TestBot | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('group owners (SPEC §4.8)', () => {
  it('administrators name owners; they are shown, audited and listed in /groups history; others are refused', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const guest = w.h.addPerson({ name: 'Gus Guest', guest: true });
    expect(await said(w.h, w.member, `owners Design add <@${w.owner.slackId}>`)).toContain(
      'Only Kantata account administrators can change the owners of a group',
    );
    expect(await said(w.h, w.admin, `owners Design add <@${guest.slackId}>`)).toContain(
      'guests are never owners',
    );
    expect(await said(w.h, w.admin, `owners Design add <@${w.h.slack.botUserId}>`)).toContain(
      'bots cannot be owners',
    );
    expect(await w.h.bot.store.getOwners(w.design.id)).toBeNull();

    const added = await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    expect(added).toContain(`<@${w.owner.slackId}>`);
    expect(added).toContain('now an owner');
    expect(await said(w.h, w.member, 'owners Design')).toContain(`<@${w.owner.slackId}>`);
    expect(await said(w.h, w.owner, 'whoami')).toContain('You own 1 group');
    const history = await said(w.h, w.admin, 'history Design');
    expect(history).toContain('owners of');
    expect(history).toContain(`<@${w.owner.slackId}>`);
    const audit = await w.h.bot.store.listAudit({ groupId: w.design.id });
    expect(audit[0]).toMatchObject({
      event: 'owners_changed',
      action: 'add',
      actor: { slackUserId: w.admin.slackId },
      owners: [{ kind: 'person', id: w.owner.slackId }],
    });
  });

  it('an owner who is not an administrator approves a request for their group from the DM; the card and the DM update', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const changeId = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason onboarding`);
    const dm = await ownerDmOf(w.h, w.owner, changeId);
    expectDecisionButtons(dm, true);
    expect(textOf(dm)).not.toContain(ACTION.requestWithdraw);
    // The requester and administrators get no owner DM.
    expect(w.h.slack.messages.dmsTo(w.admin.slackId).filter((m) => textOf(m).includes(changeId))).toEqual([]);

    await clickInDm(w.h, w.owner, dm, ACTION.requestApprove, changeId);
    await waitForStatus(w.h, changeId, ['applied']);
    expect(memberIds(w.h, w.design.id)).toContain(w.newcomer.kantataId);
    expect((await changeOf(w.h, changeId)).decidedBy?.slackUserId).toBe(w.owner.slackId);
    await cardSaying(w.h, changeId, 'APPROVED');
    const updated = await ownerDmSaying(w.h, w.owner, changeId, 'APPROVED');
    expectDecisionButtons(updated, false);
  });

  it('an owner is refused for another group and for their own request', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const sales = await sendRequest(w.h, w.member, `add Sales ${w.newcomer.email} --reason q4`);
    const other = await clickCard(w.h, w.owner, ACTION.requestApprove, sales);
    expect(await answerTo(w.h, other.responseUrl)).toContain('the owners of this group can approve or deny');
    expect((await changeOf(w.h, sales)).status).toBe('pending');

    const own = await sendRequest(w.h, w.owner, `add Design ${w.newcomer.email} --reason me`);
    // Owners are not sent their own request.
    expect(
      w.h.slack.messages
        .dmsTo(w.owner.slackId)
        .filter((m) => textOf(m).includes(`Request:`) && textOf(m).includes(own)),
    ).toEqual([]);
    const self = await clickCard(w.h, w.owner, ACTION.requestApprove, own);
    expect(await answerTo(w.h, self.responseUrl)).toContain('You cannot approve your own request');
    expect((await changeOf(w.h, own)).status).toBe('pending');
    expect(memberIds(w.h, w.design.id)).not.toContain(w.newcomer.kantataId);
  });

  it('an owner through a user group decides while in it; once out of it (after the cache) they are refused; removing an owner works at once', async () => {
    const w = await startOwnersBot();
    h = w.h;
    w.h.slack.addUsergroup('SLEADS', 'design-leads', [w.owner.slackId]);
    expect(await said(w.h, w.admin, 'owners Design add <!subteam^SLEADS|@design-leads>')).toContain('SLEADS');
    const first = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason one`);
    await ownerDmOf(w.h, w.owner, first);
    expect(await said(w.h, w.owner, 'requests')).toContain('Requests you may decide');
    const approved = await clickCard(w.h, w.owner, ACTION.requestApprove, first);
    await waitForStatus(w.h, first, ['applied']);
    expect(await answerTo(w.h, approved.responseUrl)).toContain('Approved and applied');

    // Olive leaves the user group: once its members are read again (at most 60 s; 300 ms here) she is no owner.
    w.h.slack.addUsergroup('SLEADS', 'design-leads', []);
    await new Promise((r) => setTimeout(r, 400));
    const second = await sendRequest(w.h, w.member, `remove Design ${w.newcomer.email} --reason two`);
    const refused = await clickCard(w.h, w.owner, ACTION.requestApprove, second);
    expect(await answerTo(w.h, refused.responseUrl)).toContain(
      'the owners of this group can approve or deny',
    );
    expect((await changeOf(w.h, second)).status).toBe('pending');

    // A direct owner removed by an administrator is refused at once (no cache in between).
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    await said(w.h, w.admin, `owners Design remove <@${w.owner.slackId}>`);
    const again = await clickCard(w.h, w.owner, ACTION.requestApprove, second);
    expect(await answerTo(w.h, again.responseUrl)).toContain('the owners of this group can approve or deny');
    expect((await changeOf(w.h, second)).status).toBe('pending');
  });

  it('a decision made on the card (a denial by an administrator) updates the owners’ DMs too', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const second = w.h.addPerson({ name: 'Sam Second' });
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}> <@${second.slackId}>`);
    const changeId = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason two owners`);
    await ownerDmOf(w.h, w.owner, changeId);
    await ownerDmOf(w.h, second, changeId);
    await denyWithReason(w.h, w.admin, changeId, 'not now');
    await waitForStatus(w.h, changeId, ['denied']);
    for (const who of [w.owner, second]) {
      const dm = await ownerDmSaying(w.h, who, changeId, 'DENIED');
      expectDecisionButtons(dm, false);
    }
  });

  it('OWNERS_MAY=apply: an owner applies their own change to their group directly, not to another', async () => {
    const w = await startOwnersBot({ env: { OWNERS_MAY: 'apply' } });
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const reply = await w.h.command(w.owner.slackId, `add Design ${w.newcomer.email}`);
    const preview = await w.h.waitForResponse(reply.responseUrl);
    expect(textOf(preview)).toContain(ACTION.changeApply);
    expect(textOf(preview)).not.toContain(ACTION.changeRequest);
    const changeId = JSON.stringify(preview).match(/"value":"([A-Za-z0-9_-]+)"/)?.[1];
    await w.h.click(w.owner.slackId, ACTION.changeApply, changeId!, { responseUrl: reply.responseUrl });
    await waitForStatus(w.h, changeId!, ['applied']);
    expect(memberIds(w.h, w.design.id)).toContain(w.newcomer.kantataId);

    const elsewhere = await w.h.command(w.owner.slackId, `add Sales ${w.newcomer.email}`);
    const salesPreview = textOf(await w.h.waitForResponse(elsewhere.responseUrl));
    expect(salesPreview).toContain(ACTION.changeRequest);
    expect(salesPreview).not.toContain(ACTION.changeApply);
  });

  it('OWNERS_MAY=approve (default): an owner’s own change to their group is a request', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const reply = await w.h.command(w.owner.slackId, `add Design ${w.newcomer.email}`);
    const preview = textOf(await w.h.waitForResponse(reply.responseUrl));
    expect(preview).toContain(ACTION.changeRequest);
    expect(preview).not.toContain(ACTION.changeApply);
  });

  it('OWNERS_MAY=none: owners get no DM and cannot decide', async () => {
    const w = await startOwnersBot({ env: { OWNERS_MAY: 'none' } });
    h = w.h;
    expect(await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`)).toContain('OWNERS_MAY=none');
    const changeId = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason x`);
    const refused = await clickCard(w.h, w.owner, ACTION.requestApprove, changeId);
    expect(await answerTo(w.h, refused.responseUrl)).toContain('Only Kantata account administrators');
    expect((await changeOf(w.h, changeId)).status).toBe('pending');
    expect(w.h.slack.messages.dmsTo(w.owner.slackId).filter((m) => textOf(m).includes(changeId))).toEqual([]);
  });
});
