import type { MemberPage } from '../../membership/membership-service.js';
import type { Group } from '../../membership/types.js';
import { ACTION } from '../ids.js';
import { formatCount } from '../text/format-count.js';
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
import { fallbackGroupName, groupName, plainGroupName } from './change-wording.js';
import { personLabel } from './name-list.js';

/** Members shown per page of `/groups members` (20 lines fit one section with room to spare). */
export const MEMBERS_PAGE_SIZE = 20;

/** The value of a Next / Previous button: `<groupId>:<page>` (ids.ts). */
export function membersPageValue(groupId: string, page: number): string {
  return `${groupId}:${page}`;
}

/** Reads a Next / Previous value back; `null` for anything that is not `<digits>:<digits>`. */
export function parseMembersPageValue(value: unknown): { groupId: string; page: number } | null {
  if (typeof value !== 'string') return null;
  const match = /^([0-9]{1,20}):([0-9]{1,6})$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const page = Number(match[2]);
  return page >= 1 ? { groupId: match[1], page } : null;
}

/** One page of a group's members, with Previous / Next buttons that replace this message. */
export function membersMessage(props: { group: Group; page: MemberPage }): SlackMessage {
  const { group, page } = props;
  if (page.total === 0) {
    const text = `${groupName(group)} has no members.`;
    return { text: plainFallback(`${fallbackGroupName(group)} has no members.`), blocks: [section(text)] };
  }
  const first = (page.page - 1) * MEMBERS_PAGE_SIZE + 1;
  const lines = page.members.map((user, i) => `${formatCount(first + i)}. ${personLabel(user)}`);
  const blocks: Block[] = [
    header(`${plainGroupName(group)}: ${formatCount(page.total)} ${page.total === 1 ? 'member' : 'members'}`),
    section(lines.length > 0 ? lines.join('\n') : `There is no page ${formatCount(page.page)}.`),
    context(`Page ${formatCount(page.page)} of ${formatCount(page.pageCount)} · group \`id:${group.id}\``),
  ];
  const buttons: ButtonElement[] = [];
  if (page.page > 1) {
    const previous = Math.min(page.page - 1, page.pageCount);
    buttons.push(
      button({
        text: '← Previous',
        actionId: ACTION.membersPagePrevious,
        value: membersPageValue(group.id, previous),
      }),
    );
  }
  if (page.page < page.pageCount) {
    buttons.push(
      button({
        text: 'Next →',
        actionId: ACTION.membersPage,
        value: membersPageValue(group.id, page.page + 1),
      }),
    );
  }
  if (buttons.length > 0) blocks.push(actions(buttons));
  return {
    text: plainFallback(
      `${fallbackGroupName(group)}: ${formatCount(page.total)} members (page ${page.page} of ${page.pageCount})`,
    ),
    blocks,
  };
}
