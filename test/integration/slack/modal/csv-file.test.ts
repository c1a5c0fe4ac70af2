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
let design: { id: string; name: string };

beforeAll(async () => {
  ({ h, admin, design } = await startModalBotWithDesign());
});

afterAll(async () => {
  await h?.stop();
});

/** Submits the modal with one uploaded file; the preview, or the inline error of the file field. */
async function submitFile(
  content: string | Uint8Array,
  opts: { name?: string; action?: 'add' | 'sync' } = {},
) {
  const file = h.slack.addFile({ name: opts.name ?? 'people.csv', content });
  const viewId = await openModal(h, admin.slackId);
  const answer = await submit(
    h,
    admin.slackId,
    viewId,
    formValues({ action: opts.action ?? 'add', group: design, files: [h.slack.fileJson(file.id)] }),
  );
  return { viewId, answer };
}

describe('a CSV file in the modal', () => {
  it('reads the Email column of a downloaded file (bot token) into the preview', async () => {
    const ann = h.addPerson({ name: 'Ann File' });
    const bob = h.addPerson({ name: 'Bob File' });
    const csv = `Name,Email\r\nAnn,${ann.email.toUpperCase()}\r\nBob,${bob.email}\r\nZed,zed@nowhere.example\r\n`;
    const { viewId, answer } = await submitFile(`\uFEFF${csv}`);
    expect(answer.json.response_action).not.toBe('errors');
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    const text = viewText(preview.view);
    expect(text).toContain('Ann File');
    expect(text).toContain('Bob File');
    expect(text).toContain('zed@nowhere.example');
    expect(h.slack.callsTo('files.info').length).toBeGreaterThan(0);
  });

  it.each([
    ['an empty file', '', 'holds no email address'],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0xfe, 0xfd]), 'is not text'],
    ['a bad email cell', 'email\nann@example.com\nnot-an-email\n', 'Line 3:'],
    ['an 11 MB file', new Uint8Array(11 * 1024 * 1024).fill(0x61), 'the limit is 10 MB'],
  ])('answers %s with an inline error naming the problem', async (_what, content, message) => {
    const { answer } = await submitFile(content);
    expect(answer.json.response_action).toBe('errors');
    expect(answer.json.errors[BLOCK.modalFile]).toContain(message);
  });

  it('says plainly when Slack fails to give the file', async () => {
    h.slack.failDownloads(1);
    const { answer } = await submitFile('email\nann@example.com\n');
    expect(answer.json.response_action).toBe('errors');
    expect(answer.json.errors[BLOCK.modalFile]).toContain(
      'Slack did not give the file to the bot (HTTP 500)',
    );
  });

  it('takes everyone in a channel picked in the modal, listing its bot as not included', async () => {
    const group = h.kantata.addGroup('Channel Pick');
    const cleo = h.addPerson({ name: 'Cleo Channel' });
    const bot = h.slack.addUser({ name: 'ci-bot', realName: 'CI Bot', isBot: true });
    const channel = h.slack.addChannel({ name: 'picked', memberIds: [cleo.slackId, bot.id] });
    const viewId = await openModal(h, admin.slackId);
    await submit(h, admin.slackId, viewId, formValues({ group, channels: [channel.id] }));
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the preview');
    const text = viewText(preview.view);
    expect(text).toMatch(/Will be added\* to \*Channel Pick\* \(1\)[^"]*Cleo Channel/);
    expect(text).toContain('Bots are not people in Kantata (1)');
  });

  it('syncs a group from the file: adds who is in it, removes who is not', async () => {
    const group = h.kantata.addGroup('From File');
    const stays = h.addPerson({ name: 'Stays Here' });
    const leaves = h.addPerson({ name: 'Leaves Now' });
    const joins = h.addPerson({ name: 'Joins Now' });
    h.kantata.addMembership(stays.kantataId, group.id);
    h.kantata.addMembership(leaves.kantataId, group.id);
    const file = h.slack.addFile({ name: 'team.csv', content: `${stays.email}\n${joins.email}\n` });
    const viewId = await openModal(h, admin.slackId);
    await submit(
      h,
      admin.slackId,
      viewId,
      formValues({ action: 'sync', group, files: [h.slack.fileJson(file.id)] }),
    );
    const preview = await waitForView(h, viewId, withCallback(VIEW.changePreviewModal), 'the sync preview');
    const text = viewText(preview.view);
    expect(text).toContain('Preview: sync From File from team.csv');
    expect(text).toMatch(/Will be added \(1\):\*[^"]*Joins Now/);
    expect(text).toMatch(/Will be removed \(1\):\*[^"]*Leaves Now/);
  });
});
