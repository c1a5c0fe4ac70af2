import type { types } from '@slack/bolt';
import type { MemberPage } from '../../membership/list-members.js';
import type { Group } from '../../membership/types.js';
import { VIEW } from '../ids.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { formatQuantity } from '../text/pluralize.js';
import { truncateText } from '../text/truncate-text.js';
import { header, section } from './blocks.js';
import { contextLine, plainText } from './change-modal-lists.js';
import { fitLines, personLabel } from './name-list.js';

/** Members shown on the modal's one page; the rest is one command away. */
export const MODAL_MEMBERS_PAGE_SIZE = 100;
/** Lines per section: 25 lines of ≤170 characters stay inside a section's 3,000. */
const LINES_PER_SECTION = 25;

/** The first page of a group's members, read-only (the modal's "view members" action). */
export function changeModalMembers(props: { group: Group; page: MemberPage }): types.ModalView {
  const { group, page } = props;
  const lines = page.members.map((user) => `• ${personLabel(user)}`);
  const sections: types.KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) {
    sections.push(section(fitLines(lines.slice(i, i + LINES_PER_SECTION), 2_900).text));
  }
  const more =
    page.total > page.members.length
      ? [
          contextLine(
            `Showing the first ${formatCount(page.members.length)} of ${formatCount(page.total)}, by name. ` +
              `\`/groups members "${escapeMrkdwn(truncateText(group.name, 100))}"\` lists them all, page by page.`,
          ),
        ]
      : [];
  return {
    type: 'modal',
    callback_id: VIEW.changeModalStatus,
    title: plainText('Group members'),
    close: plainText('Close'),
    blocks: [
      header(group.name.trim() === '' ? `id:${group.id}` : group.name),
      contextLine(formatQuantity(page.total, 'member', 'members')),
      ...(page.total === 0 ? [section('This group has no members.')] : sections),
      ...more,
    ],
  };
}
