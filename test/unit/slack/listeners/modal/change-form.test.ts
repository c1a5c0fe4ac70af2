import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../../../../src/slack/ids.js';
import { parsePreviewMetadata } from '../../../../../src/slack/listeners/modal/preview-metadata.js';
import { readChangeForm } from '../../../../../src/slack/listeners/modal/read-change-form.js';
import {
  checkFormInput,
  checkFormPermission,
  parseEmails,
} from '../../../../../src/slack/listeners/modal/validate-change-form.js';
import type { ChangeFormValues } from '../../../../../src/slack/views/change-modal.js';
import { previewMetadata } from '../../../../../src/slack/views/change-modal-preview.js';

const form = (over: Partial<ChangeFormValues> = {}): ChangeFormValues => ({
  action: 'add',
  group: { id: '1', name: 'Design' },
  userIds: [],
  fileIds: [],
  emailsText: '',
  reason: '',
  ...over,
});

describe('parseEmails', () => {
  it('splits on spaces, commas, semicolons and new lines, collapsing duplicates of any case', () => {
    expect(
      parseEmails(
        ' ann@example.com,bob@example.com;\n\nANN@example.com  <cy@example.com> mailto:di@example.com',
      ),
    ).toEqual({
      emails: ['ann@example.com', 'bob@example.com', 'cy@example.com', 'di@example.com'],
      invalid: [],
    });
  });

  it('keeps every token that is not an email', () => {
    expect(parseEmails('ann@example.com nope bob@ @x.com').invalid).toEqual(['nope', 'bob@', '@x.com']);
  });
});

describe('checkFormInput', () => {
  it('wants a group, and people for add and remove', () => {
    expect(Object.keys(checkFormInput(form({ group: undefined }), parseEmails(''), 10)).sort()).toEqual(
      [BLOCK.modalGroup, BLOCK.modalPeople].sort(),
    );
    expect(checkFormInput(form({ action: 'members' }), parseEmails(''), 10)).toEqual({});
  });

  it('refuses a list that alone names too many people', () => {
    const errors = checkFormInput(form({ userIds: ['U1', 'U2', 'U3'] }), parseEmails(''), 2);
    expect(errors[BLOCK.modalPeople]).toContain('at most 2 people; this one names 3');
  });
});

describe('checkFormPermission', () => {
  it('wants a reason only from whoever has to request', () => {
    expect(checkFormPermission(form(), { canApply: true, canRequest: false })).toEqual({});
    expect(Object.keys(checkFormPermission(form(), { canApply: false, canRequest: true }))).toEqual([
      BLOCK.modalReason,
    ]);
    expect(checkFormPermission(form({ reason: 'why' }), { canApply: false, canRequest: true })).toEqual({});
    expect(
      Object.keys(checkFormPermission(form({ reason: 'why' }), { canApply: false, canRequest: false })),
    ).toEqual([BLOCK.modalAction]);
  });
});

describe('readChangeForm', () => {
  it('reads what Slack sends and refuses what it cannot read', () => {
    const read = readChangeForm({
      [BLOCK.modalAction]: {
        [ACTION.modalAction]: { type: 'radio_buttons', selected_option: { value: 'remove' } },
      },
      [BLOCK.modalGroup]: {
        [ACTION.modalGroup]: {
          type: 'external_select',
          selected_option: { value: '7', text: { text: 'QA' } },
        },
      },
      [BLOCK.modalPeople]: {
        [ACTION.modalPeople]: { type: 'multi_users_select', selected_users: ['U1', 'U1', 'U2'] },
      },
      [BLOCK.modalReason]: { [ACTION.modalReason]: { type: 'plain_text_input', value: '  left  ' } },
    });
    expect(read).toEqual({
      ok: true,
      form: {
        action: 'remove',
        group: { id: '7', name: 'QA' },
        userIds: ['U1', 'U2'],
        emailsText: '',
        fileIds: [],
        reason: 'left',
      },
    });
    expect(readChangeForm('nonsense')).toEqual({ ok: false });
  });
});

describe('preview metadata', () => {
  it('round-trips and refuses anything else', () => {
    expect(parsePreviewMetadata(previewMetadata('abc', 'request'))).toEqual({
      changeId: 'abc',
      mode: 'request',
    });
    expect(parsePreviewMetadata('{"changeId":"abc","mode":"delete"}')).toBeNull();
    expect(parsePreviewMetadata('not json')).toBeNull();
    expect(parsePreviewMetadata(undefined)).toBeNull();
  });
});
