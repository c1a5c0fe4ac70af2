/**
 * Every Slack identifier the app uses (action_id, callback_id, block_id), defined once.
 * Button values carry only a stored change id (SPEC §4.1); everything else is looked up.
 */
export const ACTION = {
  /** Apply a previewed change (value: change id). Also applies an undo preview. */
  changeApply: 'change_apply',
  /** Send a previewed change for approval (value: change id). */
  changeRequest: 'change_request',
  /** Cancel a preview (value: change id). */
  changeCancel: 'change_cancel',
  /** Next / Previous on `/groups members` (value: `<groupId>:<page>`). */
  membersPage: 'members_page',
  /** Previous on `/groups members`: action_ids must be unique within a block, so Next keeps `membersPage`. */
  membersPagePrevious: 'members_page_previous',
  /** Next / Previous on `/groups expiring` (value: `<groupId or *>:<page>`). */
  expiringPage: 'expiring_page',
  expiringPagePrevious: 'expiring_page_previous',
  /**
   * A reminder's buttons (value: `<groupId>:<setBy change id>[:<userId>]`, the ends they stand for; looked
   * up again at the click).
   */
  reminderExtend7: 'reminder_extend_7d',
  reminderExtend30: 'reminder_extend_30d',
  reminderLetEnd: 'reminder_let_end',
  /** Approval card buttons (value: change id). */
  requestApprove: 'request_approve',
  requestDeny: 'request_deny',
  /** Skip it on a standing sync's held run: skipped at the click, no dialog (value: change id). */
  syncSkip: 'sync_skip',
  /** The requester withdraws a pending request (value: change id). */
  requestWithdraw: 'request_withdraw',
  /** The Home tab's "Open /groups" (opens the change modal) and "More" (value: which list). */
  homeOpenModal: 'home_open_modal',
  homeMore: 'home_more',
  /** Undo on a notification (value: change id). */
  changeUndo: 'change_undo',
  /** Modal inputs. */
  modalAction: 'modal_action_select',
  modalGroup: 'modal_group_select',
  modalPeople: 'modal_people_select',
  modalEmails: 'modal_emails_input',
  /** Channels whose members are the people (multi_conversations_select: Slack's user picker takes no channel). */
  modalChannels: 'modal_channels_select',
  /** A `.csv` / `.txt` of emails (file_input). */
  modalFile: 'modal_file_input',
  modalReason: 'modal_reason_input',
  /** "For how long": permanent, 1/7/30/90 days, until a date. */
  modalTerm: 'modal_term_select',
  modalUntil: 'modal_until_date',
  denyReason: 'deny_reason_input',
} as const;

export const VIEW = {
  /** The `/groups` modal: action, group, people, emails, reason. */
  changeModal: 'change_modal',
  /** The same modal showing a preview; submit applies or requests (private_metadata: change id). */
  changePreviewModal: 'change_preview_modal',
  /** Deny with an optional reason (private_metadata: change id + card location). */
  denyModal: 'deny_modal',
  /** The `/groups` modal while it works or once it is done: preparing, progress, result, members, errors. */
  changeModalStatus: 'change_modal_status',
} as const;

/** Shortcuts as declared in manifest.yml (`features.shortcuts[].callback_id`). */
export const SHORTCUT = {
  /** Global: "Manage Kantata groups" opens the `/groups` modal. */
  manageGroups: 'manage_kantata_groups',
  /** Message: "Add these people to a Kantata group" opens it with the people the message mentions. */
  addFromMessage: 'add_people_from_message',
} as const;

export const BLOCK = {
  modalAction: 'modal_action',
  modalGroup: 'modal_group',
  modalPeople: 'modal_people',
  modalEmails: 'modal_emails',
  modalChannels: 'modal_channels',
  modalFile: 'modal_file',
  modalReason: 'modal_reason',
  modalTerm: 'modal_term',
  modalUntil: 'modal_until',
  denyReason: 'deny_reason',
} as const;
