import type { Group } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, context, header, plainFallback, type SlackMessage, section } from './blocks.js';
import { quoted } from './help-message.js';

export type GroupListProps = {
  /** Every match, in the order to show (only the first ones are shown). */
  groups: readonly Group[];
  search?: string;
};

/** How many group lines one `/groups list` answer shows at most. */
export const GROUPS_SHOWN = 100;
const SECTION_CHARS = 2800;
const TOTAL_CHARS = 9000;

/**
 * `/groups list [search]`: group names with their ids, in sections that stay within Slack's limits, then
 * "…and N more; narrow with /groups list <words>". Member counts are left out: Kantata has no cheap count,
 * and reading every group's memberships would make the list slow.
 */
export function groupListMessage(props: GroupListProps): SlackMessage {
  const { groups, search } = props;
  const where = search ? ` matching ${quoted(search)}` : '';
  if (groups.length === 0) {
    const text = search
      ? `No Kantata group matches ${quoted(search)}. Try fewer or shorter words, or \`/groups list\` for all groups.`
      : 'There are no workspace groups in Kantata yet.';
    return { text: plainFallback(text), blocks: [section(text)] };
  }
  const blocks: Block[] = [
    header(`Kantata groups${search ? ` matching “${truncateText(search, 80)}”` : ''}`),
  ];
  let current = '';
  let used = 0;
  let shown = 0;
  for (const group of groups.slice(0, GROUPS_SHOWN)) {
    const line = `• ${escapeMrkdwn(truncateText(group.name, 100))}  \`id:${escapeMrkdwn(group.id)}\``;
    if (used + line.length > TOTAL_CHARS) break;
    if (current.length + line.length + 1 > SECTION_CHARS) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
    used += line.length + 1;
    shown += 1;
  }
  if (current !== '') blocks.push(section(current));
  const hidden = groups.length - shown;
  const noun = groups.length === 1 ? 'group' : 'groups';
  const summary =
    hidden > 0
      ? `${formatCount(groups.length)} groups${where}; showing ${formatCount(shown)}. …and ${formatCount(hidden)} more; narrow with \`/groups list &lt;words&gt;\`.`
      : `${formatCount(groups.length)} ${noun}${where}. See who is in one with \`/groups members &lt;group&gt;\`.`;
  blocks.push(context(summary));
  return {
    text: plainFallback(
      `${formatCount(groups.length)} Kantata ${noun}${search ? ` matching “${escapeMrkdwn(truncateText(search, 80))}”` : ''}`,
    ),
    blocks,
  };
}
