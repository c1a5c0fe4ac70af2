import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTION, VIEW } from '../../../../src/slack/ids.js';
import { findElement, sendEvent } from '../../../fakes/fake-slack/index.js';
import { SIGNING_SECRET, type TestBot } from '../../harness.js';
import { sendRequest } from '../approvals/support.js';
import { memberIds, waitForStatus } from '../commands/support.js';
import { said, startOwnersBot } from '../owners/support.js';
import { applyAsAdmin, clickHome, homeOf, homeSaying, homeText, openHome } from './support.js';

let h: TestBot | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('the Home tab over HTTP (SPEC §4.8)', () => {
  it('a requester sees who they are, their pending requests with Withdraw, their temporary memberships with Extend, and Open /groups; Withdraw works from there', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await applyAsAdmin(w.h, w.admin, `add Sales <@${w.member.slackId}> --for 7d`);
    const changeId = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason project`);
    const home = await openHome(w.h, w.member);
    expect(home?.view?.type).toBe('home');
    const text = homeText(w.h, w.member);
    expect(text).toContain('Mo Member');
    expect(text).toContain(w.member.email);
    expect(text).toContain('Your pending requests');
    expect(findElement(home?.view?.blocks as unknown[], ACTION.requestWithdraw)?.element.value).toBe(
      changeId,
    );
    expect(findElement(home?.view?.blocks as unknown[], ACTION.homeOpenModal)).toBeDefined();
    expect(text).toContain('Sales');
    expect(findElement(home?.view?.blocks as unknown[], ACTION.reminderExtend7)).toBeDefined();
    // Not an administrator nor an owner: nothing to decide, no recent changes.
    expect(text).not.toContain('Requests you may decide');
    expect(text).not.toContain(ACTION.requestApprove);

    await clickHome(w.h, w.member, ACTION.requestWithdraw, changeId);
    await waitForStatus(w.h, changeId, ['cancelled']);
    await homeSaying(w.h, w.member, changeId, false);
  });

  it('Extend on the Home tab asks for the extension like the reminder does', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await applyAsAdmin(w.h, w.admin, `add Sales <@${w.member.slackId}> --for 7d`);
    const home = await openHome(w.h, w.member);
    const value = findElement(home?.view?.blocks as unknown[], ACTION.reminderExtend30)?.element
      .value as string;
    await clickHome(w.h, w.member, ACTION.reminderExtend30, value);
    await vi.waitFor(
      async () => {
        const pending = await w.h.bot.store.listChanges({
          statuses: ['pending'],
          requestedBy: w.member.slackId,
        });
        expect(pending.map((c) => c.term)).toEqual([{ kind: 'extend', ms: 30 * 86_400_000 }]);
      },
      { timeout: 15_000, interval: 20 },
    );
    // The request is on the Home tab at once, and the answer came by direct message (no message to answer).
    const [request] = await w.h.bot.store.listChanges({
      statuses: ['pending'],
      requestedBy: w.member.slackId,
    });
    await homeSaying(w.h, w.member, request!.id);
    await vi.waitFor(
      () =>
        expect(
          w.h.slack.messages.dmsTo(w.member.slackId).some((m) => JSON.stringify(m).includes(request!.id)),
        ).toBe(true),
      { timeout: 15_000, interval: 20 },
    );
  });

  it('an owner sees the requests for their groups with Approve/Deny and the recent changes to their groups; Approve works from there and the Homes are refreshed', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const salesChange = await applyAsAdmin(w.h, w.admin, `add Sales ${w.newcomer.email}`);
    const design = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason design`);
    const sales = await sendRequest(w.h, w.member, `remove Sales ${w.newcomer.email} --reason sales`);
    await openHome(w.h, w.member);
    const home = await openHome(w.h, w.owner);
    const text = homeText(w.h, w.owner);
    expect(text).toContain('owner');
    expect(text).toContain('Requests you may decide');
    expect(text).toContain(design);
    expect(text).not.toContain(sales);
    expect(text).toContain('Recent changes to your groups');
    expect(text).not.toContain(salesChange);
    expect(findElement(home?.view?.blocks as unknown[], ACTION.requestDeny)).toBeDefined();

    await clickHome(w.h, w.owner, ACTION.requestApprove, design);
    await waitForStatus(w.h, design, ['applied']);
    expect(memberIds(w.h, w.design.id)).toContain(w.newcomer.kantataId);
    // Refreshed without being opened again: the request is gone from both Homes, the change is recent.
    await homeSaying(w.h, w.owner, 'Nothing is waiting for your decision');
    await homeSaying(w.h, w.owner, 'approved');
    await homeSaying(w.h, w.member, design, false);
  });

  it('administrators see every standing sync, owners those of their groups, members none', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await said(w.h, w.admin, `owners Design add <@${w.owner.slackId}>`);
    const sync = (groupId: string, groupName: string) => ({
      groupId,
      groupName,
      source: { key: `usergroup:S${groupId}`, label: `@team-${groupId}` },
      addOnly: false,
      createdBy: { slackUserId: w.admin.slackId, name: 'Ada Admin' },
      createdAt: new Date().toISOString(),
      nextRunAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await w.h.bot.store.saveStandingSync(sync(w.design.id, 'Design'));
    await w.h.bot.store.saveStandingSync(sync(w.sales.id, 'Sales'));
    await openHome(w.h, w.admin);
    expect(homeText(w.h, w.admin)).toContain('Standing syncs');
    expect(homeText(w.h, w.admin)).toContain(`@team-${w.sales.id}`);
    await openHome(w.h, w.owner);
    expect(homeText(w.h, w.owner)).toContain(`@team-${w.design.id}`);
    expect(homeText(w.h, w.owner)).not.toContain(`@team-${w.sales.id}`);
    await openHome(w.h, w.member);
    expect(homeText(w.h, w.member)).not.toContain('Standing syncs');
  });

  it('an administrator sees every request to decide and the recent changes of every group', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const salesChange = await applyAsAdmin(w.h, w.admin, `add Sales ${w.newcomer.email}`);
    const design = await sendRequest(w.h, w.member, `add Design ${w.newcomer.email} --reason a`);
    await openHome(w.h, w.admin);
    const text = homeText(w.h, w.admin);
    expect(text).toContain('administrator');
    expect(text).toContain(design);
    expect(text).toContain('Recent changes');
    expect(text).toContain(salesChange);
    // A new request appears without the Home being opened again.
    const later = await sendRequest(w.h, w.member, `add Sales <@${w.owner.slackId}> --reason b`);
    await homeSaying(w.h, w.admin, later);
  });

  it('the Messages tab publishes nothing; someone not linked to Kantata is told why', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await openHome(w.h, w.member, 'messages');
    await new Promise((r) => setTimeout(r, 200));
    expect(homeOf(w.h, w.member)).toBeUndefined();
    const stranger = w.h.slack.addUser({
      name: 'stranger',
      realName: 'Stranger',
      email: 'nobody@elsewhere.example',
    });
    const person = {
      slackId: stranger.id,
      kantataId: '',
      email: 'nobody@elsewhere.example',
      name: 'Stranger',
    };
    await openHome(w.h, person);
    expect(homeText(w.h, person)).toContain('not linked to a Kantata user');
    expect(findElement(homeOf(w.h, person)?.view?.blocks as unknown[], ACTION.homeOpenModal)).toBeDefined();
  });

  it('answers Slack’s url_verification of the events URL (HTTP variant of the manifest)', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const response = await sendEvent(w.h.endpoint, SIGNING_SECRET, {
      type: 'url_verification',
      token: 'fake-verification-token',
      challenge: 'c-123',
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('c-123');
  });

  it('Open /groups on the Home tab opens the modal', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await openHome(w.h, w.member);
    await clickHome(w.h, w.member, ACTION.homeOpenModal, 'open');
    await vi.waitFor(
      () => {
        if (!w.h.slack.views.byCallbackId(VIEW.changeModal)) throw new Error('no modal');
      },
      { timeout: 15_000, interval: 20 },
    );
  });
});
