import { afterEach, describe, expect, it, vi } from 'vitest';
import { BLOCK, SHORTCUT, VIEW } from '../../../../src/slack/ids.js';
import { globalShortcutPayload, messageShortcutPayload } from '../../../fakes/fake-slack/index.js';
import type { TestBot } from '../../harness.js';
import { startOwnersBot } from '../owners/support.js';

let h: TestBot | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const WAIT = { timeout: 15_000, interval: 20 };

// biome-ignore lint/suspicious/noExplicitAny: views are read loosely in tests
function block(view: any, blockId: string): any {
  return view?.blocks?.find((b: { block_id?: string }) => b.block_id === blockId);
}

describe('shortcuts (SPEC §4.8)', () => {
  it('the global shortcut "Manage Kantata groups" opens the /groups modal', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const response = await w.h.interact(
      globalShortcutPayload({
        userId: w.member.slackId,
        callbackId: SHORTCUT.manageGroups,
        triggerId: w.h.slack.newTriggerId(),
      }),
    );
    expect(response.status).toBe(200);
    await vi.waitFor(() => {
      if (!w.h.slack.views.byCallbackId(VIEW.changeModal)) throw new Error('no modal');
    }, WAIT);
  });

  it('the message shortcut fills in everyone the message mentions (users, a user group, emails), not its author', async () => {
    const w = await startOwnersBot();
    h = w.h;
    const lee = w.h.addPerson({ name: 'Lee Lead' });
    w.h.slack.addUsergroup('SLEADS', 'leads', [lee.slackId, w.member.slackId]);
    const message = {
      user: w.member.slackId,
      text: `Please add <@${w.owner.slackId}>, <!subteam^SLEADS|@leads> and <mailto:zoe@example.com|zoe@example.com>, also bo@example.com.`,
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'user', user_id: w.owner.slackId },
                { type: 'usergroup', usergroup_id: 'SLEADS' },
                { type: 'link', url: 'mailto:zoe@example.com', text: 'zoe@example.com' },
              ],
            },
          ],
        },
      ],
    };
    const response = await w.h.interact(
      messageShortcutPayload({
        userId: w.admin.slackId,
        callbackId: SHORTCUT.addFromMessage,
        triggerId: w.h.slack.newTriggerId(),
        responseUrl: w.h.slack.responseUrl(),
        message,
      }),
    );
    expect(response.status).toBe(200);
    let view: unknown;
    await vi.waitFor(() => {
      view = w.h.slack.views.byCallbackId(VIEW.changeModal)?.view;
      const users = block(view, BLOCK.modalPeople)?.element?.initial_users ?? [];
      // The user group's members come in once it is expanded (the modal is opened first, within 3 s).
      if (!users.includes(lee.slackId)) throw new Error(`not expanded yet: ${JSON.stringify(users)}`);
    }, WAIT);
    expect(block(view, BLOCK.modalPeople).element.initial_users.sort()).toEqual(
      [w.owner.slackId, lee.slackId].sort(),
    );
    expect(block(view, BLOCK.modalEmails).element.initial_value.split('\n').sort()).toEqual([
      'bo@example.com',
      'zoe@example.com',
    ]);
    expect(block(view, BLOCK.modalAction).element.initial_option.value).toBe('add');
    expect(JSON.stringify(view)).not.toContain(w.member.slackId);
  });

  it('a message that mentions nobody opens the modal with a note saying so', async () => {
    const w = await startOwnersBot();
    h = w.h;
    await w.h.interact(
      messageShortcutPayload({
        userId: w.admin.slackId,
        callbackId: SHORTCUT.addFromMessage,
        triggerId: w.h.slack.newTriggerId(),
        responseUrl: w.h.slack.responseUrl(),
        message: { user: w.member.slackId, text: `Thanks <@${w.member.slackId}>, see you tomorrow.` },
      }),
    );
    await vi.waitFor(() => {
      const view = w.h.slack.views.byCallbackId(VIEW.changeModal)?.view;
      if (!JSON.stringify(view ?? {}).includes('mentions nobody')) throw new Error('no note');
      expect(block(view, BLOCK.modalPeople).element.initial_users).toBeUndefined();
    }, WAIT);
  });
});
