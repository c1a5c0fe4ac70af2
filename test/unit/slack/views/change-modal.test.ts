import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, VIEW } from '../../../../src/slack/ids.js';
import { changeModal } from '../../../../src/slack/views/change-modal.js';
import { groupOptions } from '../../../../src/slack/views/change-modal-group-options.js';
import { validateView } from '../../../fakes/fake-slack/index.js';

// biome-ignore lint/suspicious/noExplicitAny: reading Block Kit JSON loosely
type Loose = any;

function inputs(view: Loose): Record<string, Loose> {
  return Object.fromEntries(
    view.blocks.filter((b: Loose) => b.type === 'input').map((b: Loose) => [b.block_id, b]),
  );
}

describe('changeModal', () => {
  it('is a valid modal with every field, defined by the shared ids', () => {
    const view = changeModal() as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    expect(view.callback_id).toBe(VIEW.changeModal);
    const byBlock = inputs(view);
    expect(Object.keys(byBlock)).toEqual([
      BLOCK.modalAction,
      BLOCK.modalGroup,
      BLOCK.modalPeople,
      BLOCK.modalChannels,
      BLOCK.modalEmails,
      BLOCK.modalFile,
      BLOCK.modalTerm,
      BLOCK.modalUntil,
      BLOCK.modalReason,
    ]);
    expect(byBlock[BLOCK.modalFile].optional).toBe(true);
    expect(byBlock[BLOCK.modalFile].element).toMatchObject({
      type: 'file_input',
      action_id: ACTION.modalFile,
      filetypes: ['csv', 'txt'],
      max_files: 1,
    });
    expect(byBlock[BLOCK.modalAction].element.action_id).toBe(ACTION.modalAction);
    expect(byBlock[BLOCK.modalAction].element.options.map((o: Loose) => o.value)).toEqual([
      'add',
      'remove',
      'sync',
      'members',
    ]);
    expect(byBlock[BLOCK.modalAction].element.initial_option.value).toBe('add');
    expect(byBlock[BLOCK.modalGroup].element).toMatchObject({
      type: 'external_select',
      action_id: ACTION.modalGroup,
    });
    expect(byBlock[BLOCK.modalGroup].element.min_query_length).toBeLessThanOrEqual(2);
    expect(byBlock[BLOCK.modalPeople].element).toMatchObject({
      type: 'multi_users_select',
      action_id: ACTION.modalPeople,
    });
    expect(byBlock[BLOCK.modalEmails].element).toMatchObject({ type: 'plain_text_input', multiline: true });
    expect(byBlock[BLOCK.modalReason].element.action_id).toBe(ACTION.modalReason);
    // "For how long" (SPEC §4.6): permanent by default, 1/7/30/90 days, or until a date from the date picker.
    expect(byBlock[BLOCK.modalTerm].element.options.map((o: Loose) => o.value)).toEqual([
      'permanent',
      '1d',
      '7d',
      '30d',
      '90d',
      'until',
    ]);
    expect(byBlock[BLOCK.modalTerm].element.initial_option.value).toBe('permanent');
    expect(byBlock[BLOCK.modalUntil].element).toMatchObject({
      type: 'datepicker',
      action_id: ACTION.modalUntil,
    });
  });

  it('requires the action and the group; people, emails and reason are checked at submission', () => {
    const byBlock = inputs(changeModal());
    expect(byBlock[BLOCK.modalAction].optional).toBeFalsy();
    expect(byBlock[BLOCK.modalGroup].optional).toBeFalsy();
    expect(byBlock[BLOCK.modalPeople].optional).toBe(true);
    expect(byBlock[BLOCK.modalEmails].optional).toBe(true);
    expect(byBlock[BLOCK.modalReason].optional).toBe(true);
  });

  it('shows the form again with what was entered and the problems under their fields', () => {
    const view = changeModal({
      initial: {
        action: 'remove',
        group: { id: '42', name: 'Design' },
        userIds: ['U1', 'U2'],
        emailsText: 'ann@example.com',
        fileIds: [],
        reason: 'left the team',
      },
      errors: { [BLOCK.modalGroup]: 'That group is no longer in Kantata.' },
      notice: 'Please correct the form.',
    }) as Loose;
    expect(validateView(view)).toEqual({ ok: true });
    const byBlock = inputs(view);
    expect(byBlock[BLOCK.modalAction].element.initial_option.value).toBe('remove');
    expect(byBlock[BLOCK.modalGroup].element.initial_option).toMatchObject({
      value: '42',
      text: { text: 'Design' },
    });
    expect(byBlock[BLOCK.modalPeople].element.initial_users).toEqual(['U1', 'U2']);
    expect(byBlock[BLOCK.modalEmails].element.initial_value).toBe('ann@example.com');
    expect(byBlock[BLOCK.modalReason].element.initial_value).toBe('left the team');
    const groupIndex = view.blocks.findIndex((b: Loose) => b.block_id === BLOCK.modalGroup);
    expect(view.blocks[groupIndex + 1]).toMatchObject({ type: 'context' });
    expect(JSON.stringify(view.blocks[groupIndex + 1])).toContain('no longer in Kantata');
    expect(JSON.stringify(view.blocks[0])).toContain('Please correct the form.');
  });
});

describe('groupOptions', () => {
  it('answers with at most 100 options, names cut to 75 characters, ids as values', () => {
    const groups = Array.from({ length: 150 }, (_, i) => ({
      id: String(1000 + i),
      name: `Group ${i} ${'x'.repeat(100)}`,
    }));
    const { options } = groupOptions(groups);
    expect(options).toHaveLength(100);
    expect(options[0]?.value).toBe('1000');
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value?.length ?? 0).toBeLessThanOrEqual(75);
    }
  });

  it('leaves out a group whose id would not fit in an option value, and names a nameless one by id', () => {
    const { options } = groupOptions([
      { id: '9'.repeat(80), name: 'Too long' },
      { id: '7', name: '  ' },
    ]);
    expect(options).toEqual([{ text: { type: 'plain_text', text: 'id:7', emoji: true }, value: '7' }]);
  });
});
