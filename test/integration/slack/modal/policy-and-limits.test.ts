import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK, VIEW } from '../../../../src/slack/ids.js';
import type { Person, TestBot } from '../../harness.js';
import {
  formValues,
  openModal,
  startModalBotWithDesign,
  submit,
  viewText,
  waitForView,
  withCallback,
} from './support.js';

let h: TestBot;
let admin: Person;
let member: Person;
let design: { id: string; name: string };

beforeAll(async () => {
  ({ h, admin, member, design } = await startModalBotWithDesign({
    env: { APPROVAL_POLICY: 'admins-only', MAX_PEOPLE_PER_CHANGE: '3' },
  }));
});

afterAll(async () => {
  await h?.stop();
});

describe('policy admins-only', () => {
  it('refuses a non-admin next to the action, whatever the reason says', async () => {
    const viewId = await openModal(h, member.slackId);
    const values = formValues({ group: design, emails: 'ann@example.com', reason: 'please' });
    const answer = await submit(h, member.slackId, viewId, values);
    expect(answer.json.response_action).toBe('errors');
    expect(Object.keys(answer.json.errors)).toEqual([BLOCK.modalAction]);
    expect(answer.json.errors[BLOCK.modalAction]).toContain('Only Kantata account administrators');
  });

  it('still lets a non-admin view members', async () => {
    const viewId = await openModal(h, member.slackId);
    const answer = await submit(h, member.slackId, viewId, formValues({ action: 'members', group: design }));
    expect(answer.json.response_action).toBe('update');
  });
});

describe('MAX_PEOPLE_PER_CHANGE', () => {
  it('refuses more people than one change may name, counting each person once', async () => {
    const people = [1, 2, 3].map((i) => h.addPerson({ name: `P${i}` }));
    const viewId = await openModal(h, admin.slackId);
    // Three Slack people, one of them typed again as an email (any case): three people, allowed.
    const same = formValues({
      group: design,
      users: people.map((p) => p.slackId),
      emails: people[0]!.email.toUpperCase(),
    });
    const ok = await submit(h, admin.slackId, viewId, same);
    expect(ok.json.response_action).toBe('update');
    await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');

    const again = await openModal(h, admin.slackId);
    const tooMany = formValues({
      group: design,
      users: people.map((p) => p.slackId),
      emails: 'extra@example.com',
    });
    const refused = await submit(h, admin.slackId, again, tooMany);
    expect(refused.json.response_action).toBe('errors');
    expect(refused.json.errors[BLOCK.modalPeople]).toContain('at most 3 people');
  });
});

describe('a slow Kantata at submission', () => {
  it('acknowledges in time and brings the form back with a late problem marked', async () => {
    const person = h.addPerson({ name: 'Late Larry' });
    const viewId = await openModal(h, admin.slackId);
    h.clock.advance(61_000); // who the admin is must be read from Kantata again
    h.kantata.setLatency(2_500);
    try {
      const gone = { id: '999998', name: 'Gone Group' };
      const answer = await submit(
        h,
        admin.slackId,
        viewId,
        formValues({ group: gone, users: [person.slackId] }),
      );
      expect(answer.status).toBe(200);
      expect(answer.json.response_action).toBe('update');
      expect(answer.json.view.title.text).toBe('Preparing preview');
      const form = await waitForView(h, viewId, (v) => v.updates > 0, 'the form again');
      expect(form.view.callback_id).toBe(VIEW.changeModal);
      expect(viewText(form.view)).toContain('no longer in Kantata');
      const group = form.view.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.modalGroup);
      expect(group.element.initial_option).toMatchObject({ value: gone.id });
      const people = form.view.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.modalPeople);
      expect(people.element.initial_users).toEqual([person.slackId]);
    } finally {
      h.kantata.setLatency(0);
    }
  });
});
