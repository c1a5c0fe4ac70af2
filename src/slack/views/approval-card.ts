import type { Change } from '../../approvals/types.js';
import { ACTION } from '../ids.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { progressBar } from '../text/progress-bar.js';
import { describeActor } from '../text/slack-actor.js';
import { slackDate } from '../text/slack-date.js';
import { truncateText } from '../text/truncate-text.js';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  context,
  header,
  plainFallback,
  type SlackMessage,
  section,
} from './blocks.js';
import {
  changePhrase,
  groupName,
  plainGroupName,
  progressVerb,
  reasonText,
  unchangedWords,
} from './change-wording.js';
import { fitItems, personLabel } from './name-list.js';
import { countOutcomes, headline } from './result-message.js';
import { termSections } from './term-wording.js';
import { unresolvedSections } from './unresolved-section.js';

export type ApprovalCardChange = Pick<
  Change,
  | 'id'
  | 'status'
  | 'action'
  | 'group'
  | 'plan'
  | 'requestedBy'
  | 'reason'
  | 'createdAt'
  | 'expiresAt'
  | 'decidedBy'
  | 'decidedAt'
  | 'decisionReason'
  | 'report'
> &
  Partial<Pick<Change, 'term' | 'currentEnds' | 'syncSource' | 'standingSync'>>;

export type ApprovalCardProps = {
  change: ApprovalCardChange;
  /**
   * The copy an owner of the group gets by direct message (SPEC §4.8): the same card and the same
   * Approve / Deny, without Withdraw (only the requester withdraws, from the card or their Home tab).
   */
  forOwner?: boolean;
  /** While an approved request is being applied. */
  progress?: { done: number; total: number };
};

/**
 * The card of a request in the approvals channel (SPEC §4.3): requester, group, people, reason and the
 * preview's counts, with Approve / Deny / Withdraw while pending; once decided the buttons are gone and
 * the card says what happened (✅ APPROVED by … and the outcome, ❌ DENIED, ⌛ EXPIRED, 🚫 CANCELLED).
 */
export function approvalCard(props: ApprovalCardProps): SlackMessage {
  const { change } = props;
  const n = change.plan.toChange.length;
  const requester = describeActor(change.requestedBy) ?? 'Someone';
  const extension = change.term?.kind === 'extend';
  const blocks: Block[] = [
    header(
      extension
        ? `Request: extend access in ${plainGroupName(change.group)}`
        : `Request: ${changePhrase(change, plainGroupName(change.group), 'plain')}`,
    ),
    section(
      extension
        ? `${requester} asks to *extend* temporary access in ${groupName(change.group)}.`
        : `${requester} asks to *${changePhrase(change, groupName(change.group), 'mrkdwn')}*.`,
    ),
  ];
  if (n > 0) {
    const title = change.action === 'remove' ? 'To remove' : 'To add';
    blocks.push(
      section(
        `*${title} (${formatCount(n)}):* ${fitItems(change.plan.toChange.map(personLabel), 2400).text}`,
      ),
    );
  }
  const toRemove = change.plan.toRemove ?? [];
  if (toRemove.length > 0) {
    blocks.push(
      section(
        `*To remove (${formatCount(toRemove.length)}):* ${fitItems(toRemove.map(personLabel), 2400).text}`,
      ),
    );
  }
  blocks.push(...termSections(change));
  blocks.push(...unresolvedSections(change.plan.unresolved, 1200));
  blocks.push(section(change.reason ? `*Reason:* ${reasonText(change.reason)}` : '_No reason given._'));
  blocks.push(context(previewCounts(change)));
  blocks.push(...statusBlocks(props));
  return { text: cardFallback(change), blocks };
}

function previewCounts(change: ApprovalCardChange): string {
  const { plan } = change;
  const unchanged = unchangedWords(change.action);
  const parts = [
    change.action === 'sync'
      ? `${formatCount(plan.toChange.length)} to add · ${formatCount(plan.toRemove?.length ?? 0)} to remove`
      : `${formatCount(plan.toChange.length)} to ${change.action}`,
    `${formatCount(plan.unchanged.length)} ${unchanged}`,
    `${formatCount(plan.unresolved.length)} not resolved`,
  ];
  const requested = slackDate(change.createdAt);
  // An approval plans the request again against Kantata's state at that moment and stores that plan.
  const replanned = !['previewed', 'pending', 'denied', 'expired', 'cancelled'].includes(change.status);
  const label = replanned ? 'Planned again at approval' : 'Preview at request time';
  return `${label}: ${parts.join(' · ')}${requested ? ` · requested ${requested}` : ''} · change \`${change.id}\``;
}

function statusBlocks(props: ApprovalCardProps): Block[] {
  const { change, progress } = props;
  switch (change.status) {
    case 'previewed':
    case 'pending':
      return pendingBlocks(change, props.forOwner === true);
    case 'approved':
    case 'applying': {
      const bar = progress
        ? ` ${progressVerb(change.action)} ${formatCount(Math.min(progress.done, progress.total))} of ${formatCount(progress.total)} ${progressBar(progress.done, progress.total)}`
        : ' Applying…';
      return [section(`${approvedLine(change)}.${bar}`)];
    }
    case 'applied':
    case 'partially_applied':
    case 'failed':
      return outcomeBlocks(change);
    case 'denied': {
      if (change.standingSync?.brake)
        return [section(`⏭️ *SKIPPED*${byAt(change)}. Nobody was changed; the next run goes ahead as usual.`)];
      const reason = change.decisionReason ? `\n*Reason:* ${reasonText(change.decisionReason)}` : '';
      return [section(`❌ *DENIED*${byAt(change)}.${reason}`)];
    }
    case 'expired':
      return [
        section(
          `⌛ *EXPIRED*${at(change.expiresAt)}: no administrator decided in time. Nothing was changed.`,
        ),
      ];
    case 'cancelled':
      return [section(`🚫 *CANCELLED*${byAt(change)}: the requester withdrew it. Nothing was changed.`)];
  }
}

/**
 * Approve and Deny, exactly as on the card: also on owners' copies and on the Home tab. A standing sync's
 * held run has Apply this run and Skip it (skipped at the click, no dialog).
 */
export function decisionButtons(changeId: string, heldRun = false): ButtonElement[] {
  if (heldRun) {
    return [
      button({ text: 'Apply this run', actionId: ACTION.requestApprove, value: changeId, style: 'primary' }),
      button({ text: 'Skip it', actionId: ACTION.syncSkip, value: changeId, style: 'danger' }),
    ];
  }
  return [
    button({ text: 'Approve', actionId: ACTION.requestApprove, value: changeId, style: 'primary' }),
    button({ text: 'Deny', actionId: ACTION.requestDeny, value: changeId, style: 'danger' }),
  ];
}

/** The buttons of a pending request and who may use them: the card's, or an owner's copy (no Withdraw). */
function pendingBlocks(change: ApprovalCardChange, forOwner: boolean): Block[] {
  const expires = slackDate(change.expiresAt);
  const brake = change.standingSync?.brake;
  if (brake) return brakeBlocks(change.id, brake, expires);
  const until = expires ? ` Expires ${expires}.` : '';
  if (forOwner) {
    return [
      actions(decisionButtons(change.id)),
      context(
        `You get this because you own ${groupName(change.group)}. Any owner or administrator other than the requester decides; this message changes when one does.${until}`,
      ),
    ];
  }
  return [
    actions([
      ...decisionButtons(change.id),
      button({
        text: 'Withdraw',
        actionId: ACTION.requestWithdraw,
        value: change.id,
        confirm: {
          title: 'Withdraw this request?',
          text: 'Only the person who made the request can withdraw it.',
          confirm: 'Withdraw',
          deny: 'Keep it',
        },
      }),
    ]),
    context(
      `Administrators (and the group’s owners) other than the requester approve or deny; only the requester can withdraw.${until}`,
    ),
  ];
}

/** A standing sync's run held by the brake (SPEC §4.7): nobody is changed until an administrator applies it. */
function brakeBlocks(
  changeId: string,
  brake: NonNullable<NonNullable<Change['standingSync']>['brake']>,
  expires?: string,
): Block[] {
  const why: Record<typeof brake.reason, string> = {
    empty_source: 'its source has nobody in it (emptied by mistake?)',
    too_many_removals: `it would remove ${formatCount(brake.removals)} people, more than SYNC_MAX_REMOVALS allows`,
    unreadable_source: 'its source could not be read, so nothing was planned',
  };
  const said = brake.detail ? `\n*Why:* ${escapeMrkdwn(truncateText(brake.detail, 300))}` : '';
  const apply =
    brake.reason === 'unreadable_source'
      ? `${said}\n*Apply this run* reads the source again and applies what it finds then (nobody who cannot be resolved is removed).`
      : '';
  return [
    section(
      `:octagonal_sign: This run of a standing sync was held back because ${why[brake.reason]}. Nobody was changed.${apply}`,
    ),
    actions(decisionButtons(changeId, true)),
    context(
      `Any administrator decides; the next run waits for the decision.${expires ? ` Expires ${expires}.` : ''}`,
    ),
  ];
}

function outcomeBlocks(change: ApprovalCardChange): Block[] {
  const lead = change.decidedBy ? `${approvedLine(change)}.` : '';
  if (!change.report) return [section(`${lead} Finished: ${change.status.replace('_', ' ')}.`)];
  const { failed } = countOutcomes(change.report.outcomes);
  const mark = change.status === 'applied' ? '✔️' : '⚠️';
  const failures = failed > 0 ? ` (${formatCount(failed)} failed)` : '';
  return [
    section(
      `${lead}\n${mark} ${headline({ change, report: change.report }, { mrkdwn: true })}${failures}. Details in the thread.`,
    ),
  ];
}

function approvedLine(change: ApprovalCardChange): string {
  return `✅ *APPROVED*${byAt(change)}`;
}

function byAt(change: ApprovalCardChange): string {
  const who = describeActor(change.decidedBy);
  return `${who ? ` by ${who}` : ''}${at(change.decidedAt)}`;
}

function at(iso: string | undefined): string {
  const date = slackDate(iso);
  return date ? ` at ${date}` : '';
}

/** The plain sentence for notifications: "Request from Ann: add 3 people to Design (APPROVED by Bob)". */
function cardFallback(change: ApprovalCardChange): string {
  const who = change.requestedBy.name ?? change.requestedBy.slackUserId;
  const what = changePhrase(change, plainGroupName(change.group), 'plain');
  const decider = change.decidedBy ? ` by ${change.decidedBy.name ?? change.decidedBy.slackUserId}` : '';
  const status: Record<Change['status'], string> = {
    previewed: 'waiting for approval',
    pending: 'waiting for approval',
    approved: `APPROVED${decider}, applying`,
    applying: `APPROVED${decider}, applying`,
    applied: `APPROVED${decider}, applied`,
    partially_applied: `APPROVED${decider}, partly applied`,
    failed: `APPROVED${decider}, failed`,
    denied: `DENIED${decider}`,
    expired: 'EXPIRED',
    cancelled: 'CANCELLED by the requester',
  };
  // `text` is read as mrkdwn in notifications too: names and the group come from people, so escape them.
  return plainFallback(escapeMrkdwn(`Request from ${who}: ${what} (${status[change.status]})`));
}

/** Used by thread replies: "add 3 people to *Design*". */
export function requestWhat(
  change: Pick<Change, 'action' | 'group' | 'plan'> & Partial<Pick<Change, 'syncSource'>>,
): string {
  return changePhrase(change, groupName(change.group), 'mrkdwn');
}
