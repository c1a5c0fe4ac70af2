import type { MembershipEnd } from '../../approvals/expiry/types.js';
import type { Group } from '../../membership/types.js';
import { ACTION } from '../ids.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
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
import { groupName, plainGroupName } from './change-wording.js';
import { personLabel } from './name-list.js';
import { whenText } from './term-wording.js';

/** Temporary memberships per page of `/groups expiring` (like `members`). */
export const EXPIRING_PAGE_SIZE = 20;

/** The value of a Next / Previous button: `<groupId>:<page>`, `*` for every group. */
export function expiringPageValue(groupId: string | undefined, page: number): string {
  return `${groupId ?? '*'}:${page}`;
}

export function parseExpiringPageValue(value: unknown): { groupId?: string; page: number } | null {
  if (typeof value !== 'string') return null;
  const match = /^([0-9]{1,20}|\*):([0-9]{1,6})$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const page = Number(match[2]);
  if (page < 1) return null;
  return match[1] === '*' ? { page } : { groupId: match[1], page };
}

export type ExpiringProps = {
  /** The group asked about; none: every group. */
  group?: Group;
  ends: readonly MembershipEnd[];
  total: number;
  page: number;
};

/** `/groups expiring [<group>]` (SPEC §4.6): temporary memberships, soonest end first, paged. */
export function expiringMessage(props: ExpiringProps): SlackMessage {
  const { group, ends, total, page } = props;
  const where = group ? ` in ${groupName(group)}` : '';
  if (total === 0) {
    const text = `No temporary memberships${where}: everyone is a member for good.`;
    return { text: plainFallback(text), blocks: [section(text)] };
  }
  const pageCount = Math.max(1, Math.ceil(total / EXPIRING_PAGE_SIZE));
  const first = (page - 1) * EXPIRING_PAGE_SIZE + 1;
  const lines = ends.map((end, i) => {
    const inGroup = group ? '' : ` in ${groupName({ id: end.groupId, name: end.groupName })}`;
    const by = describeActor(end.addedBy);
    return `${formatCount(first + i)}. ${personLabel(end.user)}${inGroup}: ends ${whenText(end.endsAt)}${by ? ` (added by ${by})` : ''}`;
  });
  const title = `Temporary memberships${group ? `: ${plainGroupName(group)}` : ''} (${formatCount(total)})`;
  const blocks: Block[] = [
    header(title),
    section(lines.length > 0 ? lines.join('\n') : `There is no page ${formatCount(page)}.`),
    context(`Soonest end first · page ${formatCount(page)} of ${formatCount(pageCount)}`),
  ];
  const buttons: ButtonElement[] = [];
  if (page > 1) {
    buttons.push(
      button({
        text: '← Previous',
        actionId: ACTION.expiringPagePrevious,
        value: expiringPageValue(group?.id, Math.min(page - 1, pageCount)),
      }),
    );
  }
  if (page < pageCount) {
    buttons.push(
      button({
        text: 'Next →',
        actionId: ACTION.expiringPage,
        value: expiringPageValue(group?.id, page + 1),
      }),
    );
  }
  if (buttons.length > 0) blocks.push(actions(buttons));
  return { text: plainFallback(`${title}, page ${page} of ${pageCount}`), blocks };
}
