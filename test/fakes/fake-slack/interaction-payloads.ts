import type {
  BlockAction,
  BlockSuggestion,
  ViewClosedAction,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';

/**
 * Interactive payloads shaped like the ones Slack sends (reference §4.3), typed with Bolt's own types.
 * Send them with `sendInteraction`. A view payload comes from `fake.viewPayload(viewId, values)`.
 */

export type StateValues = Record<string, Record<string, ViewStateValue>>;

type Who = { userId: string; userName?: string; teamId?: string };

const APP_ID = 'A0FAKEAPP0';
const TOKEN = 'fake-verification-token';

function team(teamId = 'T0FAKETEAM') {
  return { id: teamId, domain: 'fake-team' };
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

type Obj = Record<string, unknown>;

/** Finds the interactive element with this action_id in a message's or view's blocks, with its block_id. */
export function findElement(
  blocks: unknown,
  actionId: string,
): { blockId: string; element: Obj } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as Obj[]) {
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as Obj[]) : []),
      ...(block.accessory ? [block.accessory as Obj] : []),
      ...(block.element ? [block.element as Obj] : []),
    ];
    const element = candidates.find((e) => e?.action_id === actionId);
    if (element) return { blockId: String(block.block_id ?? ''), element };
  }
  return undefined;
}

export type BlockActionInput = Who & {
  actionId: string;
  triggerId: string;
  /** Clicked in a message (posted, or ephemeral via response_url). */
  message?: { channel: string; ts: string; blocks?: unknown[]; text?: string; ephemeral?: boolean };
  /** Clicked in a modal or Home tab: `fake.viewPayload(viewId)`. */
  view?: ViewOutput;
  /** Messages carry one; modals do not. */
  responseUrl?: string;
  /** What the click sent; by default derived from the element found in the blocks. */
  value?: string;
  selectedOption?: { text: string; value: string };
  selectedUsers?: string[];
  /** Overrides for the action object itself. */
  action?: Obj;
};

/**
 * A `block_actions` payload. Like Slack, a click in an ephemeral message carries no `message`, and a
 * click in a modal carries `view` and no `channel` / `response_url`.
 */
export function blockActionPayload(input: BlockActionInput): BlockAction {
  const blocks = input.message?.blocks ?? input.view?.blocks;
  const found = findElement(blocks, input.actionId);
  const element = found?.element ?? {};
  const type = typeof element.type === 'string' ? element.type : 'button';
  const action: Obj = {
    type,
    action_id: input.actionId,
    block_id: found?.blockId ?? 'block',
    action_ts: actionTs(),
    ...(type === 'button'
      ? { text: element.text ?? { type: 'plain_text', text: input.actionId, emoji: true } }
      : {}),
    ...(input.value !== undefined
      ? { value: input.value }
      : element.value !== undefined
        ? { value: element.value }
        : {}),
    ...(input.selectedOption
      ? {
          selected_option: {
            text: { type: 'plain_text', text: input.selectedOption.text },
            value: input.selectedOption.value,
          },
        }
      : {}),
    ...(input.selectedUsers ? { selected_users: input.selectedUsers } : {}),
    ...input.action,
  };
  const base = {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: input.teamId ?? 'T0FAKETEAM',
    },
    api_app_id: APP_ID,
    token: TOKEN,
    trigger_id: input.triggerId,
    team: team(input.teamId),
    enterprise: null,
    is_enterprise_install: false,
    actions: [action],
  };
  if (input.view) {
    return {
      ...base,
      container: { type: 'view', view_id: input.view.id },
      view: input.view,
      state: input.view.state,
    } as unknown as BlockAction;
  }
  const m = input.message ?? { channel: 'C0FAKECHAN', ts: actionTs() };
  return {
    ...base,
    container: {
      type: 'message',
      message_ts: m.ts,
      channel_id: m.channel,
      is_ephemeral: m.ephemeral ?? false,
    },
    channel: { id: m.channel, name: 'channel' },
    ...(m.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            ts: m.ts,
            text: m.text ?? '',
            user: 'U0FAKEBOT0',
            blocks: m.blocks ?? [],
          },
        }),
    state: { values: {} },
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
  } as unknown as BlockAction;
}

export function viewSubmissionPayload(
  input: Who & {
    triggerId: string;
    view: ViewOutput;
    values?: StateValues;
    responseUrls?: ViewSubmitAction['response_urls'];
  },
): ViewSubmitAction {
  return {
    type: 'view_submission',
    team: team(input.teamId),
    user: userOf(input),
    api_app_id: APP_ID,
    token: TOKEN,
    trigger_id: input.triggerId,
    view: input.values ? { ...input.view, state: { values: input.values } } : input.view,
    response_urls: input.responseUrls ?? [],
    is_enterprise_install: false,
  };
}

export function viewClosedPayload(input: Who & { view: ViewOutput; isCleared?: boolean }): ViewClosedAction {
  return {
    type: 'view_closed',
    team: team(input.teamId),
    user: userOf(input),
    api_app_id: APP_ID,
    token: TOKEN,
    view: input.view,
    is_cleared: input.isCleared ?? false,
    is_enterprise_install: false,
  };
}

/** An `external_select` type-ahead request (Options Load URL). */
export function blockSuggestionPayload(
  input: Who & { actionId: string; blockId: string; value: string; view?: ViewOutput; channelId?: string },
): BlockSuggestion {
  return {
    type: 'block_suggestion',
    user: userOf(input),
    container: input.view
      ? { type: 'view', view_id: input.view.id }
      : { type: 'message', channel_id: input.channelId ?? 'C0FAKECHAN' },
    api_app_id: APP_ID,
    token: TOKEN,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team: team(input.teamId),
    ...(input.view
      ? { view: input.view }
      : { channel: { id: input.channelId ?? 'C0FAKECHAN', name: 'channel' } }),
    is_enterprise_install: false,
  };
}

/** Builders for `view.state.values` entries, as Slack fills them. */
export const stateValue = {
  text: (value: string | null): ViewStateValue => ({ type: 'plain_text_input', value }),
  users: (ids: string[]): ViewStateValue => ({ type: 'multi_users_select', selected_users: ids }),
  staticOption: (value: string, text = value): ViewStateValue => ({
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text }, value },
  }),
  externalOption: (value: string, text = value): ViewStateValue => ({
    type: 'external_select',
    selected_option: { text: { type: 'plain_text', text }, value },
  }),
  date: (date: string | null): ViewStateValue => ({ type: 'datepicker', selected_date: date }),
  radio: (value: string, text = value): ViewStateValue => ({
    type: 'radio_buttons',
    selected_option: { text: { type: 'plain_text', text }, value },
  }),
};

/** The `user` of an interactive payload, as Slack sends it. */
function userOf(input: Who): { id: string; name: string; team_id: string } {
  return {
    id: input.userId,
    name: input.userName ?? input.userId.toLowerCase(),
    team_id: input.teamId ?? 'T0FAKETEAM',
  };
}

/** An Events API callback as Slack sends it (HTTP body, or the payload of an `events_api` envelope). */
export function eventCallbackBody(
  event: Obj,
  eventId = `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
) {
  return {
    token: TOKEN,
    team_id: 'T0FAKETEAM',
    api_app_id: APP_ID,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  };
}

/** `app_home_opened` for the Home tab (or the Messages tab). */
export function appHomeOpenedEvent(userId: string, tab: 'home' | 'messages' = 'home'): Obj {
  return { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab, event_ts: actionTs() };
}

/** What both kinds of shortcut carry: who, where from, which shortcut, and a trigger. */
function shortcutBase(
  type: 'shortcut' | 'message_action',
  input: Who & { callbackId: string; triggerId: string },
): Obj {
  return {
    type,
    token: TOKEN,
    action_ts: actionTs(),
    team: team(input.teamId),
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: input.teamId ?? 'T0FAKETEAM' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
  };
}

/** A global shortcut (`type: shortcut`): no channel, no response_url. */
export function globalShortcutPayload(input: Who & { callbackId: string; triggerId: string }): Obj {
  return shortcutBase('shortcut', input);
}

/** A message shortcut (`type: message_action`): the whole message, its channel and a response_url. */
export function messageShortcutPayload(
  input: Who & {
    callbackId: string;
    triggerId: string;
    responseUrl: string;
    message: { text: string; user: string; blocks?: unknown[]; ts?: string };
    channel?: string;
  },
): Obj {
  const ts = input.message.ts ?? actionTs();
  return {
    ...shortcutBase('message_action', input),
    channel: { id: input.channel ?? 'C0FAKECHAN', name: 'general' },
    response_url: input.responseUrl,
    message_ts: ts,
    message: { type: 'message', ts, ...input.message },
  };
}
