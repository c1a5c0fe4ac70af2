import { hasWork } from '../../approvals/expiry/has-work.js';
import type { AllowedActions } from '../../approvals/policy.js';
import type { Change } from '../../approvals/types.js';
import { ACTION } from '../ids.js';
import { formatCount } from '../text/format-count.js';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  header,
  plainFallback,
  type SlackMessage,
  section,
} from './blocks.js';
import {
  actionPhrase,
  changePhrase,
  fallbackGroupName,
  groupName,
  people,
  plainGroupName,
  reasonText,
  toOrFrom,
} from './change-wording.js';
import { fitItems, personLabel } from './name-list.js';
import { syncPreviewBlocks, syncPreviewFallback } from './sync-preview.js';
import { termSections } from './term-wording.js';
import { unresolvedSections } from './unresolved-section.js';

export type PreviewProps = {
  change: Pick<Change, 'id' | 'action' | 'group' | 'plan' | 'reason'> &
    Partial<Pick<Change, 'term' | 'currentEnds' | 'createdAt' | 'syncSource' | 'keep'>>;
  /** What the viewer may do, established when the preview was made (the click is checked again). */
  allowed: AllowedActions;
};

/** Above this many people, Apply asks "are you sure?" first. */
export const CONFIRM_ABOVE = 20;

/**
 * The preview of an `add` / `remove` (SPEC §4.1): who will change, who already is in the wanted state, who
 * could not be included and why, then Apply (administrators) or Request approval (others) and Cancel.
 */
export function previewMessage(props: PreviewProps): SlackMessage {
  const blocks = previewBlocks(props.change);
  const buttons = previewButtons(props);
  if (buttons.length > 0) blocks.push(actions(buttons));
  return { text: previewFallback(props.change), blocks };
}

/** The preview without buttons, for a modal or a message that adds its own. */
export function previewBlocks(change: PreviewProps['change']): Block[] {
  if (change.action === 'sync') return syncPreviewBlocks(change);
  const { plan } = change;
  const n = plan.toChange.length;
  const blocks: Block[] = [
    header(
      n > 0
        ? `Preview: ${actionPhrase(change.action, n)} ${plainGroupName(change.group)}`
        : hasWork(change)
          ? `Preview: move ends in ${plainGroupName(change.group)}`
          : 'Nothing to change',
    ),
  ];
  if (n > 0) {
    const title = change.action === 'add' ? 'Will be added' : 'Will be removed';
    const list = fitItems(plan.toChange.map(personLabel), 2600);
    blocks.push(
      section(
        `*${title}* ${toOrFrom(change.action)} ${groupName(change.group)} (${formatCount(n)}):\n${list.text}`,
      ),
    );
  } else if (!hasWork(change)) {
    blocks.push(section(nothingToChangeText(change)));
  }
  if (plan.unchanged.length > 0) {
    const title = change.action === 'add' ? 'Already members' : 'Not members';
    const list = fitItems(plan.unchanged.map(personLabel), 1500);
    blocks.push(section(`*${title} (${formatCount(plan.unchanged.length)}):* ${list.text}`));
  }
  blocks.push(...termSections(change));
  blocks.push(...unresolvedSections(plan.unresolved, 2400));
  if (change.reason) blocks.push(section(`*Reason:* ${reasonText(change.reason)}`));
  return blocks;
}

function previewButtons({ change, allowed }: PreviewProps): ButtonElement[] {
  const n = change.plan.toChange.length + (change.plan.toRemove?.length ?? 0);
  const work = hasWork(change);
  const cancel = button({
    text: work ? 'Cancel' : 'Dismiss',
    actionId: ACTION.changeCancel,
    value: change.id,
  });
  if (!work) return [cancel];
  const buttons: ButtonElement[] = [];
  if (allowed.canApply) {
    buttons.push(
      button({
        text: 'Apply',
        actionId: ACTION.changeApply,
        value: change.id,
        style: 'primary',
        ...(n > CONFIRM_ABOVE
          ? {
              confirm: {
                title: 'Apply this change?',
                text: `This will ${changePhrase(change, plainGroupName(change.group), 'plain')} in Kantata.`,
                confirm: 'Apply',
                deny: 'Not yet',
              },
            }
          : {}),
      }),
    );
  } else if (allowed.canRequest) {
    buttons.push(
      button({
        text: 'Request approval',
        actionId: ACTION.changeRequest,
        value: change.id,
        style: 'primary',
      }),
    );
  }
  buttons.push(cancel);
  return buttons;
}

/** The short sentence of a preview, for notifications and the modal. */
function previewFallback(change: PreviewProps['change']): string {
  if (change.action === 'sync') return syncPreviewFallback(change);
  const n = change.plan.toChange.length;
  if (n === 0) return plainFallback(`Nothing to change in ${fallbackGroupName(change.group)}.`);
  const skipped = change.plan.unchanged.length + change.plan.unresolved.length;
  const rest = skipped > 0 ? ` (${people(skipped)} left out)` : '';
  return plainFallback(
    `Preview: ${actionPhrase(change.action, n)} ${fallbackGroupName(change.group)}${rest}.`,
  );
}

function nothingToChangeText(change: PreviewProps['change']): string {
  const { plan } = change;
  const where = groupName(change.group);
  if (plan.unchanged.length === 0) {
    return `Nothing to change: nobody named could be ${change.action === 'add' ? 'added to' : 'removed from'} ${where}.`;
  }
  return change.action === 'add'
    ? `Nothing to change: everyone named is already a member of ${where}.`
    : `Nothing to change: none of the people named is a member of ${where}.`;
}
