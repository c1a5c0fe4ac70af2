import { ERROR_CODES, type ErrorCode, isAppError } from '../../membership/errors.js';
import { isSlackPeopleError, SLACK_ERROR_CODES, type SlackErrorCode } from '../people/slack-people-error.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { formatCount } from './format-count.js';
import { describeActor } from './slack-actor.js';
import { slackDate } from './slack-date.js';
import { truncateText } from './truncate-text.js';

/** What a sentence may use: the error's code, message and detail, plus the reference of this occurrence. */
export type ErrorFacts = {
  code: ErrorCode | SlackErrorCode;
  message: string;
  detail: Record<string, unknown>;
  refId: string;
};

/** Every code an error reaching a Slack listener can carry: the core's and the Slack layer's own. */
export const ALL_ERROR_CODES: readonly (ErrorCode | SlackErrorCode)[] = [
  ...ERROR_CODES,
  ...SLACK_ERROR_CODES,
];

/**
 * The one table that turns error codes into sentences for Slack (mrkdwn). A `Record` over every code, so
 * adding a code to `src/membership/errors.ts` or to `SLACK_ERROR_CODES` fails the type check until it has a
 * sentence here. Each sentence says what happened in plain words and what the reader can do about it.
 */
export const ERROR_SENTENCES: Record<ErrorCode | SlackErrorCode, (e: ErrorFacts) => string> = {
  kantata_unauthorized: (e) =>
    `Kantata did not accept the bot's credentials, so nothing was changed.${kantataSaid(e)} ` +
    `Please ask your Slack admin to renew the bot's Kantata API token (reference ${ref(e)}).`,
  kantata_forbidden: (e) =>
    `Kantata refused this because the bot's Kantata user is not allowed to do it.${kantataSaid(e)} ` +
    'Ask a Kantata account administrator to check the permissions of the bot’s Kantata user.',
  kantata_not_found: (e) =>
    `Kantata could not find what this refers to; it may have been deleted in the meantime.${kantataSaid(e)} ` +
    'Run the command again to see the current state.',
  kantata_validation: (e) =>
    `Kantata refused the change.${kantataSaid(e)} Check the group and the people, then try again.`,
  kantata_rate_limited: (e) =>
    `Kantata is busy and asked the bot to slow down.${kantataSaid(e)} Please try again in a minute.`,
  kantata_unavailable: (e) =>
    `Kantata is not answering right now.${kantataSaid(e)} Please try again in a few minutes; ` +
    '`/groups history` shows anything that was changed before it stopped.',
  kantata_timeout: () =>
    'Kantata took too long to answer. Please try again in a few minutes; ' +
    '`/groups history` shows anything that was changed before it stopped.',
  kantata_bad_response: (e) =>
    `Kantata sent an answer the bot could not understand (reference ${ref(e)}). Please try again; ` +
    'if it keeps happening, give this reference to your Slack admin.',
  group_not_found: (e) => {
    const name = text(e, 'groupName') ?? text(e, 'query');
    const first = name
      ? `There is no Kantata group called ${quote(name)}.`
      : 'That Kantata group was not found.';
    const suggestions = strings(e, 'suggestions').slice(0, 5).map(quote);
    const hint = suggestions.length > 0 ? ` Did you mean ${orList(suggestions)}?` : '';
    return `${first}${hint} \`/groups list\` shows all groups.`;
  },
  not_authorized: (e) => NOT_AUTHORIZED[text(e, 'reason') ?? ''] ?? NOT_AUTHORIZED_DEFAULT,
  not_linked: (e) =>
    `Your Slack account is not linked to a Kantata user: ${NOT_LINKED_WHY[text(e, 'reason') ?? ''] ?? NOT_LINKED_DEFAULT}. ` +
    'Ask a Kantata administrator to link you with `/groups link @you your.kantata@email`.',
  guest_not_allowed: () => 'Guests of this Slack workspace cannot request or approve group changes.',
  self_approval_forbidden: (e) =>
    e.detail.verb === 'deny'
      ? 'You cannot deny your own request. Use *Withdraw* on the card instead.'
      : 'You cannot approve your own request. Another Kantata administrator (or another owner of the group) has to approve it.',
  too_many_people: (e) => {
    const max = count(e, 'max');
    const named = count(e, 'count');
    const limit = max === undefined ? 'only so many people' : `at most ${formatCount(max)} people`;
    const tally = named === undefined ? '' : `; this one names ${formatCount(named)}`;
    return `One change can include ${limit}${tally}. Please split it into smaller changes.`;
  },
  nothing_to_change: (e) => {
    const group = text(e, 'groupName');
    const where = group ? ` ${quote(group)}` : ' the group';
    return e.detail.action === 'remove'
      ? `Nothing to change: none of these people is a member of${where}.`
      : `Nothing to change: everyone named is already a member of${where}.`;
  },
  change_not_found: (e) =>
    e.detail.reason === 'no_standing_sync'
      ? 'That group has no standing sync; `/groups syncs` lists those there are.'
      : 'This change is no longer available. Run the command again to make a new preview.',
  change_already_decided: (e) => {
    const verb = STATUS_VERBS[text(e, 'status') ?? ''] ?? 'already handled';
    const who = describeActor(e.detail.decidedBy);
    const when = slackDate(e.detail.decidedAt);
    return `This change was ${verb}${who ? ` by ${who}` : ''}${when ? ` at ${when}` : ''}. There is nothing more to do.`;
  },
  change_not_requested: () =>
    'This change was never sent for approval, so there is nothing to approve or deny.',
  held_run_not_applied: (e) => {
    const detail = text(e, 'detail');
    const why = detail ? ` (${escapeMrkdwn(truncateText(detail, 300))})` : '';
    return e.detail.reason === 'unreadable_source'
      ? `The source of this standing sync still cannot be read${why}. Nothing was changed; the run stays held. ` +
          'Try *Apply this run* again later, or *Skip it*.'
      : 'The source can be read again, and this run is held by the brake: the card now shows what it would ' +
          'change. Nothing was changed; check it and click *Apply this run* again, or *Skip it*.';
  },
  change_expired: () =>
    'This request expired before anyone approved it. Please send a new request if it is still needed.',
  undo_window_passed: () =>
    'Undo is no longer available for this change. ' +
    'To reverse it, make the opposite change with `/groups add` or `/groups remove`.',
  policy_forbids: (e) =>
    e.detail.policy === 'admins-only'
      ? 'In this workspace only Kantata account administrators can change groups; requests are turned off. ' +
        'Ask an administrator to make the change.'
      : 'This workspace’s approval policy does not allow that. Use *Request approval* so that another ' +
        'administrator can approve the change.',
  bot_not_administrator: () =>
    'The bot’s Kantata user is not an account administrator, so it cannot change groups. ' +
    'Ask your Kantata administrator to make it one.',
  store_unavailable: (e) => storageSentence(e),
  slack_unavailable: (e) =>
    `Slack is not answering right now, so the bot cannot tell who the people are (reference ${ref(e)}). ` +
    'Please try again in a minute.',
  usergroup_not_found: () =>
    'Slack does not know that user group; it may have been deleted or disabled. ' +
    'Name the people one by one, or check the group’s handle.',
  channel_not_visible: () => CHANNEL_NOT_VISIBLE,
  source_empty: () =>
    'That user group or channel has nobody in it, so a sync from it would remove everyone from the group. ' +
    'Nothing was changed. If that is what you want, use `/groups remove`.',
  external_user: () =>
    'This bot only acts for people of this Slack workspace; you are in it as a guest from another ' +
    'organization (Slack Connect), so nothing was done.',
  invalid_input: (e) => {
    const term = e.detail.field === 'term' ? TERM_PROBLEMS[text(e, 'reason') ?? ''] : undefined;
    if (term) return term;
    const what = e.message.trim() === '' ? '' : `: ${escapeMrkdwn(truncateText(e.message.trim(), 300))}`;
    return `That input is not valid${what}. Please correct it and try again; \`/groups help\` shows the right form.`;
  },
};

/** Said wherever a channel's members cannot be read: Slack answers a private channel without the bot as "no such channel". */
export const CHANNEL_NOT_VISIBLE =
  'I cannot see the members of that channel. If it is a private channel, invite me first ' +
  '(`/invite @Kantata Groups` in the channel) and try again.';

/**
 * A sentence for any error thrown at a Slack listener. `AppError`s (or objects carrying one of the known
 * codes) get their sentence from the table; anything else gets the generic sentence with `refId`, which the
 * caller also logs so an admin can find the stack trace.
 */
export function messageForError(error: unknown, refId: string): string {
  const facts = errorFacts(error, refId);
  return facts ? ERROR_SENTENCES[facts.code](facts) : unknownErrorMessage(refId);
}

function unknownErrorMessage(refId: string): string {
  return (
    `Something went wrong on our side (reference ${escapeMrkdwn(refId)}). Please try again; ` +
    'if it keeps happening, give this reference to your Slack admin.'
  );
}

const STATUS_VERBS: Record<string, string> = {
  pending: 'already requested',
  approved: 'already approved',
  applying: 'already approved and is being applied',
  applied: 'already applied',
  partially_applied: 'already applied',
  failed: 'already tried',
  denied: 'already denied',
  cancelled: 'already cancelled',
  expired: 'already expired',
};

const NOT_AUTHORIZED_DEFAULT =
  'Only Kantata account administrators can do that. ' +
  'You can ask one of them, or request the change with `/groups add` or `/groups remove`.';
/** A term the core refused (SPEC §4.6); the grammar says most of these first, with what was typed. */
const TERM_PROBLEMS: Record<string, string> = {
  past_date: 'That end date is already over in your time zone. Pick a day from today on.',
  too_long: 'That is longer than a temporary membership may last (MAX_MEMBERSHIP_DURATION).',
  too_short: 'A temporary membership lasts at least `1m`.',
  bad_date: 'That end date is not a date. Write it as `YYYY-MM-DD`.',
  remove: '`--for` and `--until` only go with `add`.',
};

/** The true reason of a `not_authorized` refusal (`detail.reason`), when it is not "administrators only". */
const NOT_AUTHORIZED: Record<string, string> = {
  not_preview_owner:
    'Only the person who made this preview can use its buttons. Run the command yourself to get your own preview.',
  not_requester: 'Only the person who asked for this change can withdraw it.',
  admins_only_link: 'Only Kantata account administrators can link or unlink people.',
  standing_sync:
    'Only Kantata account administrators can keep a group in sync (`--keep`) or stop a standing sync. ' +
    'Leave out `--keep` to sync it once.',
  admins_only_owners: 'Only Kantata account administrators can change the owners of a group.',
  not_admin_or_owner:
    'Only Kantata account administrators and the owners of this group can approve or deny its requests. ' +
    '`/groups owners <group>` shows who owns it.',
  access_ended:
    'An ended access has no Undo. To give it back, add the people again for a time: `/groups add <group> <people…> --for 30d`.',
};

const NOT_LINKED_DEFAULT = 'your Slack email matches no single active Kantata user';
const NOT_LINKED_WHY: Record<string, string> = {
  no_slack_email: 'the bot cannot read an email address on your Slack profile',
  no_kantata_user: 'no active Kantata user has the email address of your Slack profile',
  several_matches: 'several Kantata users have the email address of your Slack profile',
  disabled: 'the Kantata user with your email address is disabled',
  email_domain_not_allowed: 'your email domain is not one the bot matches automatically',
};

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * "Storage is unavailable", one sentence for every path. When an apply was cut off by it, it also says what
 * Kantata holds so far (`detail.done` of `detail.total`) and that the change will be finished once the
 * storage is back, because it will be (the lease lapses and the change is taken over and settled).
 */
function storageSentence(e: ErrorFacts): string {
  const done = count(e, 'done');
  const total = count(e, 'total');
  if (done !== undefined && total !== undefined) {
    return (
      `The bot lost its storage while applying this change (reference ${ref(e)}). ` +
      `Kantata holds ${formatCount(done)} of the ${formatCount(total)} changes so far; the bot finishes the ` +
      'change, records it and announces it as soon as its storage is back.'
    );
  }
  return (
    `Storage is unavailable: the bot cannot reach its storage right now, so nothing was changed (reference ${ref(e)}). ` +
    'Please try again in a minute; `/groups help` still works.'
  );
}

// Duck-typed as well as `instanceof`: an error that crossed a module boundary (tests, workers) keeps its code.
function errorFacts(error: unknown, refId: string): ErrorFacts | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (isSlackPeopleError(error)) {
    return { code: error.code, message: error.message, detail: {}, refId };
  }
  const { code, message, detail } = error as { code?: unknown; message?: unknown; detail?: unknown };
  if (!isAppError(error) && !(typeof code === 'string' && KNOWN_CODES.has(code))) return undefined;
  return {
    code: code as ErrorCode,
    message: typeof message === 'string' ? message : '',
    detail: typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {},
    refId,
  };
}

function kantataSaid(e: ErrorFacts): string {
  const said = (text(e, 'kantataMessage') ?? e.message).trim();
  return said === '' ? '' : ` Kantata said: “${escapeMrkdwn(truncateText(said, 300))}”.`;
}

function ref(e: ErrorFacts): string {
  return escapeMrkdwn(e.refId);
}

function quote(name: string): string {
  return `“${escapeMrkdwn(truncateText(name, 100))}”`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function text(e: ErrorFacts, key: string): string | undefined {
  const value = e.detail[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function count(e: ErrorFacts, key: string): number | undefined {
  const value = e.detail[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function strings(e: ErrorFacts, key: string): string[] {
  const value = e.detail[key];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}
