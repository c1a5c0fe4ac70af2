import {
  type AuditEntry,
  type AuditOutcome,
  type ChangeAuditEntry,
  type Delivery,
  isChangeAudit,
} from '../../approvals/types.js';
import { formatDuration } from '../../config/duration.js';
import type { LinkAuditEntry } from '../../membership/ports.js';
import type { Group } from '../../membership/types.js';
import { ownerMention } from '../owners/owner-refs.js';
import { escapeCodeSpan, escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
import { slackDate } from '../text/slack-date.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, context, header, plainFallback, type SlackMessage, section } from './blocks.js';
import { changedKinds, people, plainGroupName, reasonText, toOrFrom } from './change-wording.js';
import { fitItems } from './name-list.js';

/** `/groups history` shows the newest entries (SPEC §4.5). */
export const HISTORY_SHOWN = 20;

export type HistoryListProps = {
  /** Newest first, at most HISTORY_SHOWN. */
  entries: readonly AuditEntry[];
  /** Set when filtered by a group. */
  group?: Group;
};

/** `/groups history [group]`: what happened, newest first, one section an entry. */
export function historyListMessage(props: HistoryListProps): SlackMessage {
  const where = props.group ? ` in ${plainGroupName(props.group)}` : '';
  if (props.entries.length === 0) {
    const none = `Nothing has been recorded${where} yet.`;
    return { text: plainFallback(escapeMrkdwn(none)), blocks: [section(escapeMrkdwn(none))] };
  }
  const shown = props.entries.slice(0, HISTORY_SHOWN);
  const blocks: Block[] = [header(`Recent changes${where}`)];
  for (const entry of shown) blocks.push(section(historyLine(entry)));
  blocks.push(context('Newest first. `npm run audit:export` exports the whole audit log.'));
  return {
    text: plainFallback(escapeMrkdwn(`Recent changes${where}: ${formatCount(shown.length)} entries`)),
    blocks,
  };
}

/** One audit entry as a line: when, who, what, to whom, and how it ended. */
export function historyLine(entry: AuditEntry): string {
  const when = slackDate(entry.at) ?? entry.at;
  const actor = describeActor(entry.actor) ?? 'Someone';
  return isChangeAudit(entry) ? changeLine(entry, when, actor) : linkLine(entry, when, actor);
}

/** "<@admin> *linked* <@U> to Kantata user *Ann* (ann@…, `id:7`)"; an unlink names the id it removed. */
function linkLine(entry: LinkAuditEntry, when: string, actor: string): string {
  const who = describeActor(entry.slackUserId) ?? escapeMrkdwn(entry.slackUserId);
  const id = `\`id:${escapeMrkdwn(truncateText(entry.kantataUserId, 40))}\``;
  if (entry.event === 'unlinked') return `${when} · ${actor} *unlinked* ${who} (was Kantata user ${id})`;
  const name = entry.kantataUserName?.trim()
    ? `*${escapeMrkdwn(truncateText(entry.kantataUserName, 100))}* `
    : '';
  const email = entry.kantataUserEmail ? `${escapeMrkdwn(truncateText(entry.kantataUserEmail, 120))}, ` : '';
  return `${when} · ${actor} *linked* ${who} to Kantata user ${name}(${email}${id})`;
}

function changeLine(entry: ChangeAuditEntry, when: string, actor: string): string {
  const approver = describeActor(entry.approver);
  const group = `*${escapeMrkdwn(truncateText(entry.groupName, 100))}*`;
  const dir = toOrFrom(entry.action);
  const lines = [`${when} · ${eventSentence(entry, { actor, approver, group, dir })}`];
  const names = changedNames(entry.outcomes, entry.action);
  if (names) lines.push(names);
  const end = endText(entry);
  if (end) lines.push(end);
  if (entry.reason) lines.push(`_Reason:_ ${reasonText(entry.reason)}`);
  if (entry.event !== 'owners_changed') lines.push(`change \`${escapeCodeSpan(entry.changeId)}\``);
  return lines.join('\n');
}

type Parts = { actor: string; approver: string | undefined; group: string; dir: string };

function eventSentence(entry: ChangeAuditEntry, p: Parts): string {
  const requestOf = `${p.actor}’s request to ${entry.action} people ${p.dir} ${p.group}`;
  switch (entry.event) {
    case 'requested':
      return `${p.actor} *requested* to ${entry.action} people ${p.dir} ${p.group}`;
    case 'approved':
      return `${p.approver ?? 'An administrator'} *approved* ${requestOf}`;
    case 'denied':
      return `${p.approver ?? 'An administrator'} *denied* ${requestOf}`;
    case 'cancelled':
      return `${p.actor} *withdrew* their request to ${entry.action} people ${p.dir} ${p.group}`;
    case 'expired':
      return `${requestOf} *expired*`;
    case 'applied':
    case 'partially_applied':
    case 'failed':
    case 'recovered':
      return appliedSentence(entry, p);
    case 'delivery_given_up':
      return givenUpSentence(entry, p);
    case 'owners_changed': {
      const owners = fitItems((entry.owners ?? []).map(ownerMention), 600).text || 'nobody';
      return entry.action === 'add'
        ? `${p.actor} *made* ${owners} owners of ${p.group}`
        : `${p.actor} *removed* ${owners} as owners of ${p.group}`;
    }
  }
}

const UNDELIVERED: Record<Delivery, string> = {
  notification: 'the channel notice',
  'decided:approvers': 'the approval card and its thread',
  'decided:owners': 'the owners’ direct messages',
  'decided:requester': 'the requester’s direct message',
};

/** "The bot *gave up* posting the channel notice of a change to *Design* after 30 attempts (Slack: `x`)". */
function givenUpSentence(entry: ChangeAuditEntry, p: Parts): string {
  const what = entry.delivery ? UNDELIVERED[entry.delivery.delivery] : 'an announcement';
  const attempts = entry.delivery ? ` after ${formatCount(entry.delivery.attempts)} attempts` : '';
  const error = entry.delivery?.lastError
    ? ` (Slack’s last answer: \`${escapeMrkdwn(truncateText(entry.delivery.lastError, 100))}\`)`
    : '';
  return `⚠️ The bot *gave up* posting ${what} of a change ${p.dir} ${p.group}${attempts}${error}`;
}

function appliedSentence(entry: ChangeAuditEntry, p: Parts): string {
  if (entry.action === 'sync') return syncSentence(entry, p);
  const changedKind = entry.action === 'add' ? 'added' : 'removed';
  const changed = entry.outcomes.filter((o) => o.outcome === changedKind).length;
  const failed = entry.outcomes.filter((o) => o.outcome === 'failed').length;
  const unchanged = entry.outcomes.length - changed - failed;
  const approved = p.approver ? ` (approved by ${p.approver})` : '';
  const finished = entry.event === 'recovered' ? ', finished after a restart' : '';
  const counts = [
    failed > 0 ? `${formatCount(failed)} failed` : '',
    unchanged > 0 ? `${formatCount(unchanged)} unchanged` : '',
  ].filter(Boolean);
  const tail = counts.length > 0 ? ` (${counts.join(', ')})` : '';
  return `${p.actor} *${changedKind}* ${people(changed)} ${p.dir} ${p.group}${approved}${finished}${tail}`;
}

/** "@ada *synced* *Design*: added 4 people, removed 2 people (approved by …)". */
function syncSentence(entry: ChangeAuditEntry, p: Parts): string {
  const count = (kind: AuditOutcome['outcome']) => entry.outcomes.filter((o) => o.outcome === kind).length;
  const failed = count('failed');
  const approved = p.approver ? ` (approved by ${p.approver})` : '';
  const finished = entry.event === 'recovered' ? ', finished after a restart' : '';
  const tail = failed > 0 ? ` (${formatCount(failed)} failed)` : '';
  return `${p.actor} *synced* ${p.group}: added ${people(count('added'))}, removed ${people(count('removed'))}${approved}${finished}${tail}`;
}

function changedNames(
  outcomes: readonly AuditOutcome[],
  action: ChangeAuditEntry['action'],
): string | undefined {
  const kinds: AuditOutcome['outcome'][] = [...changedKinds(action), 'failed'];
  const names = outcomes
    .filter((o) => kinds.includes(o.outcome))
    .map((o) => escapeMrkdwn(truncateText(o.name.trim() || o.email || `id:${o.userId}`, 60)));
  return names.length > 0 ? fitItems(names, 400).text : undefined;
}

/** A temporary add's end in the history: "until <date>", or "for 7d from its approval" while requested. */
function endText(entry: ChangeAuditEntry): string | undefined {
  if (entry.action !== 'add') return undefined;
  if (entry.endsAt) return `_Temporary:_ until ${slackDate(entry.endsAt) ?? entry.endsAt}`;
  if (entry.durationMs) return `_Temporary:_ for ${formatDuration(entry.durationMs)} from its approval`;
  return undefined;
}
