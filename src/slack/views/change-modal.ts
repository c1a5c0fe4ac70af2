import type { types } from '@slack/bolt';
import { ACTION, BLOCK, VIEW } from '../ids.js';
import { truncateText } from '../text/truncate-text.js';
import { contextLine, mrkdwnSection, plainText } from './change-modal-lists.js';

/** What the modal can do; the values of the action radio buttons. */
export const MODAL_ACTIONS = ['add', 'remove', 'sync', 'members'] as const;
export type ModalAction = (typeof MODAL_ACTIONS)[number];

const ACTION_LABELS: Record<ModalAction, string> = {
  add: 'Add people to a group',
  remove: 'Remove people from a group',
  sync: 'Sync a group to exactly these people',
  members: 'View the members of a group',
};

/** "For how long" (SPEC §4.6): permanent (the default), a number of days, or until a date. */
export const MODAL_TERMS = ['permanent', '1d', '7d', '30d', '90d', 'until'] as const;
export type ModalTerm = (typeof MODAL_TERMS)[number];

const TERM_LABELS: Record<ModalTerm, string> = {
  permanent: 'Permanent',
  '1d': '1 day',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  until: 'Until a date (pick it below)',
};

/** What someone filled in; used to show the form again with their input and what was wrong. */
export type ChangeFormValues = {
  action: ModalAction;
  group?: { id: string; name: string };
  userIds: string[];
  emailsText: string;
  /** Channels picked: their members are people of the change (SPEC §3). None when absent. */
  channelIds?: string[];
  /** Files uploaded in the file field (at most one): their Slack ids. None when absent. */
  fileIds?: string[];
  reason: string;
  /** How long an add lasts; absent: permanent. */
  term?: ModalTerm;
  /** `YYYY-MM-DD` from the date picker, for `until`. */
  untilDate?: string;
};

export type FormBlockId =
  | typeof BLOCK.modalAction
  | typeof BLOCK.modalGroup
  | typeof BLOCK.modalPeople
  | typeof BLOCK.modalEmails
  | typeof BLOCK.modalChannels
  | typeof BLOCK.modalFile
  | typeof BLOCK.modalReason
  | typeof BLOCK.modalTerm
  | typeof BLOCK.modalUntil;

export type ChangeModalProps = {
  /** Shown again after a check that could only run once the submission had been acknowledged. */
  initial?: ChangeFormValues;
  /** Problems to show under their fields (a re-shown form cannot use Slack's inline errors). */
  errors?: Partial<Record<FormBlockId, string>>;
  notice?: string;
};

/** Slack caps a plain_text_input at 3,000 characters. */
const EMAILS_MAX_LENGTH = 3_000;
const REASON_MAX_LENGTH = 1_000;

function actionOption(action: ModalAction): types.PlainTextOption {
  return { text: plainText(ACTION_LABELS[action], 75), value: action };
}

function termOption(term: ModalTerm): types.PlainTextOption {
  return { text: plainText(TERM_LABELS[term], 75), value: term };
}

/**
 * The `/groups` modal (SPEC §4.2): action, group (type-ahead from Kantata), Slack people, emails, reason.
 * Opened within the trigger's 3 seconds, so it needs nothing from Kantata.
 */
export function changeModal(props: ChangeModalProps = {}): types.ModalView {
  const initial = props.initial;
  const errors = props.errors ?? {};
  const withError = (block: types.KnownBlock, id: FormBlockId): types.KnownBlock[] => {
    const error = errors[id];
    return error ? [block, contextLine(`:warning: ${error}`)] : [block];
  };
  const notice = props.notice ? [mrkdwnSection(`:warning: ${props.notice}`)] : [];
  return {
    type: 'modal',
    callback_id: VIEW.changeModal,
    title: plainText('Kantata groups'),
    submit: plainText('Continue'),
    close: plainText('Cancel'),
    blocks: [
      ...notice,
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalAction,
          label: plainText('What do you want to do?', 2_000),
          element: {
            type: 'radio_buttons',
            action_id: ACTION.modalAction,
            options: MODAL_ACTIONS.map(actionOption),
            initial_option: actionOption(initial?.action ?? 'add'),
          },
        },
        BLOCK.modalAction,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalGroup,
          label: plainText('Group', 2_000),
          element: {
            type: 'external_select',
            action_id: ACTION.modalGroup,
            // One or two letters must find short names such as "QA" (Slack's default waits for three).
            min_query_length: 1,
            placeholder: plainText('Type part of a group name', 150),
            ...(initial?.group
              ? { initial_option: { text: plainText(initial.group.name, 75), value: initial.group.id } }
              : {}),
          },
        },
        BLOCK.modalGroup,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalPeople,
          optional: true,
          label: plainText('People in Slack', 2_000),
          hint: plainText('Not needed to view members.', 2_000),
          element: {
            type: 'multi_users_select',
            action_id: ACTION.modalPeople,
            placeholder: plainText('Choose people', 150),
            ...(initial && initial.userIds.length > 0 ? { initial_users: initial.userIds } : {}),
          },
        },
        BLOCK.modalPeople,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalChannels,
          optional: true,
          label: plainText('Everyone in a channel', 2_000),
          hint: plainText('Its members; bots and guests among them are listed as not included.', 2_000),
          element: {
            type: 'multi_conversations_select',
            action_id: ACTION.modalChannels,
            placeholder: plainText('Choose channels', 150),
            filter: { include: ['public', 'private'], exclude_bot_users: true },
            ...(initial?.channelIds?.length ? { initial_conversations: initial.channelIds } : {}),
          },
        },
        BLOCK.modalChannels,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalEmails,
          optional: true,
          label: plainText('Email addresses', 2_000),
          hint: plainText(
            'For people who are not in Slack. Separate them with spaces, commas or new lines. ' +
              'For very long lists, use /groups add or /groups remove.',
            2_000,
          ),
          element: {
            type: 'plain_text_input',
            action_id: ACTION.modalEmails,
            multiline: true,
            max_length: EMAILS_MAX_LENGTH,
            placeholder: plainText('ann@example.com, bob@example.com', 150),
            ...(initial?.emailsText
              ? { initial_value: truncateText(initial.emailsText, EMAILS_MAX_LENGTH) }
              : {}),
          },
        },
        BLOCK.modalEmails,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalFile,
          optional: true,
          label: plainText('Or a file of emails', 2_000),
          hint: plainText(
            'A .csv (its column named email, or every email in it) or a .txt, up to 10 MB. With “Sync”, ' +
              'the group is made to match the people named here.',
            2_000,
          ),
          element: {
            type: 'file_input',
            action_id: ACTION.modalFile,
            filetypes: ['csv', 'txt'],
            max_files: 1,
          },
        } as unknown as types.InputBlock,
        BLOCK.modalFile,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalTerm,
          optional: true,
          label: plainText('For how long', 2_000),
          hint: plainText('For adds. Temporary members are removed by the bot at the end.', 2_000),
          element: {
            type: 'static_select',
            action_id: ACTION.modalTerm,
            options: MODAL_TERMS.map(termOption),
            initial_option: termOption(initial?.term ?? 'permanent'),
          },
        },
        BLOCK.modalTerm,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalUntil,
          optional: true,
          label: plainText('Until (with “Until a date”)', 2_000),
          hint: plainText('Access ends at the end of that day, in your time zone.', 2_000),
          element: {
            type: 'datepicker',
            action_id: ACTION.modalUntil,
            ...(initial?.untilDate ? { initial_date: initial.untilDate } : {}),
          },
        },
        BLOCK.modalUntil,
      ),
      ...withError(
        {
          type: 'input',
          block_id: BLOCK.modalReason,
          optional: true,
          label: plainText('Reason', 2_000),
          hint: plainText('Required when the change needs an administrator’s approval.', 2_000),
          element: {
            type: 'plain_text_input',
            action_id: ACTION.modalReason,
            multiline: true,
            max_length: REASON_MAX_LENGTH,
            ...(initial?.reason ? { initial_value: truncateText(initial.reason, REASON_MAX_LENGTH) } : {}),
          },
        },
        BLOCK.modalReason,
      ),
    ],
  };
}
