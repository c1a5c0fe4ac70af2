import type { Unresolved, UnresolvedReason } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, section } from './blocks.js';
import { fitItems } from './name-list.js';

/** Why someone named could not be part of the change, in plain words (SPEC §4.1). */
export const UNRESOLVED_REASONS: Record<UnresolvedReason, string> = {
  no_kantata_user: 'No Kantata user has this email or id',
  disabled: 'Disabled in Kantata',
  several_matches: 'Several Kantata users have this email',
  no_slack_email: 'No email on their Slack profile (name them by Kantata email or `id:NNN`)',
  guest: 'Slack guests cannot be added',
  bot: 'Bots are not people in Kantata',
  deactivated_slack_user: 'Deactivated in Slack',
  unknown_slack_user: 'Not found in this Slack workspace',
  external_user: 'From another organization (Slack Connect); name them by Kantata email or `id:NNN`',
  email_domain_not_allowed: 'Email domain not matched automatically (name them by Kantata email or `id:NNN`)',
  channel_not_supported: 'Channel mentions are not supported yet; name the people instead',
  channel_not_visible:
    'I cannot see the members of this channel; if it is private, invite me (`/invite @Kantata Groups`) and try again',
  invalid: 'Not understood as a person',
};

const REASON_ORDER = Object.keys(UNRESOLVED_REASONS) as UnresolvedReason[];

/**
 * "Could not be resolved" as one section per reason, each listing who, within `maxChars` in all.
 * Grouping by reason keeps 300 unknown emails to a few lines instead of 300.
 */
export function unresolvedSections(unresolved: readonly Unresolved[], maxChars: number): Block[] {
  if (unresolved.length === 0) return [];
  const byReason = new Map<UnresolvedReason, Unresolved[]>();
  for (const item of unresolved) {
    const reason = REASON_ORDER.includes(item.reason) ? item.reason : 'invalid';
    const list = byReason.get(reason);
    if (list) list.push(item);
    else byReason.set(reason, [item]);
  }
  const groups = REASON_ORDER.filter((reason) => byReason.has(reason));
  const perGroup = Math.max(200, Math.floor(maxChars / groups.length));
  const blocks: Block[] = [section(`*Could not be included (${formatCount(unresolved.length)}):*`)];
  for (const reason of groups) {
    const items = byReason.get(reason) ?? [];
    const title = `_${UNRESOLVED_REASONS[reason]} (${formatCount(items.length)}):_ `;
    const list = fitItems(items.map(unresolvedLabel), Math.max(50, perGroup - title.length));
    blocks.push(section(`${title}${list.text}`));
  }
  return blocks;
}

/** What the requester wrote, shown back as code so it cannot ping or link. */
export function unresolvedLabel(item: Unresolved): string {
  const label = truncateText(item.label.replace(/`/g, "'").replace(/\s+/g, ' ').trim() || '?', 80);
  const detail = item.detail?.trim();
  return detail && item.reason === 'invalid'
    ? `\`${escapeMrkdwn(label)}\` (${escapeMrkdwn(truncateText(detail, 80))})`
    : `\`${escapeMrkdwn(label)}\``;
}
