import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK, VIEW } from '../../../../src/slack/ids.js';
import { endOfDayIn } from '../../../../src/slack/text/time-zone.js';
import type { Person, TestBot } from '../../harness.js';
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

const DAY = 86_400_000;

let h: TestBot;
let admin: Person;
let design: { id: string; name: string };

beforeAll(async () => {
  ({ h, admin, design } = await startModalBotWithDesign());
});

afterAll(async () => {
  await h?.stop();
});

describe('"For how long" in the modal (SPEC §4.6)', () => {
  it('7 days: the preview says when access ends, and Apply records the end', async () => {
    const ann = h.addPerson({ name: 'Ann Seven' });
    const viewId = await openModal(h, admin.slackId);
    const answer = await submit(
      h,
      admin.slackId,
      viewId,
      formValues({ group: design, users: [ann.slackId], term: '7d' }),
    );
    expect(answer.json.response_action).toBe('update');
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    expect(viewText(preview.view)).toContain('Access ends');
    const appliedAt = h.clock.now().getTime();
    await submit(h, admin.slackId, viewId);
    await waitForView(h, viewId, withTitle('Change applied'), 'the result');
    const [end] = await h.bot.store.getEnds(design.id, [ann.kantataId]);
    expect(Date.parse(end!.endsAt) - appliedAt).toBeGreaterThanOrEqual(7 * DAY - 5_000);
    expect(Date.parse(end!.endsAt) - appliedAt).toBeLessThanOrEqual(7 * DAY + 5_000);
  });

  it('until a date: the end of that day in the person’s time zone (Slack’s default for the fake is Los Angeles)', async () => {
    const bo = h.addPerson({ name: 'Bo Until' });
    const date = new Date(h.clock.now().getTime() + 20 * DAY).toISOString().slice(0, 10);
    const viewId = await openModal(h, admin.slackId);
    await submit(
      h,
      admin.slackId,
      viewId,
      formValues({ group: design, users: [bo.slackId], term: 'until', until: date }),
    );
    await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    await submit(h, admin.slackId, viewId);
    await waitForView(h, viewId, withTitle('Change applied'), 'the result');
    const [end] = await h.bot.store.getEnds(design.id, [bo.kantataId]);
    expect(end?.endsAt).toBe(endOfDayIn(date, 'America/Los_Angeles').toISOString());
  });

  it('marks what is wrong next to the field: no date, a date without "until", a term on a removal, a past day', async () => {
    const cy = h.addPerson({ name: 'Cy Wrong' });
    const viewId = await openModal(h, admin.slackId);
    const errorsOf = async (input: Parameters<typeof formValues>[0]) =>
      (await submit(h, admin.slackId, viewId, formValues({ group: design, users: [cy.slackId], ...input })))
        .json;
    expect((await errorsOf({ term: 'until' })).errors[BLOCK.modalUntil]).toContain('Pick the day');
    expect((await errorsOf({ until: '2030-01-01' })).errors[BLOCK.modalTerm]).toContain('Until a date');
    expect((await errorsOf({ action: 'remove', term: '7d' })).errors[BLOCK.modalTerm]).toContain(
      'Only an add',
    );
    const past = new Date(h.clock.now().getTime() - 3 * DAY).toISOString().slice(0, 10);
    await errorsOf({ term: 'until', until: past });
    const shown = await waitForView(
      h,
      viewId,
      (v) => viewText(v.view).includes('already over'),
      'the past-date note',
    );
    expect(shown.view.callback_id).toBe(VIEW.changeModal);
  });
});
