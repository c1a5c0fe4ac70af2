import type { ChangeAction, Group } from '../../membership/types.js';
import { formatCount } from '../text/format-count.js';
import { progressBar } from '../text/progress-bar.js';
import { context, plainFallback, type SlackMessage, section } from './blocks.js';
import { fallbackGroupName, groupName, people, progressVerb, toOrFrom } from './change-wording.js';

export type ApplyProgressProps = { action: ChangeAction; group: Group; done: number; total: number };

/** "Applying… (1,000 people)": replaces the preview the moment Apply is clicked, so it cannot be clicked again. */
export function applyingMessage(props: Omit<ApplyProgressProps, 'done'>): SlackMessage {
  const verb = progressVerb(props.action);
  const line = `${verb} ${people(props.total)} ${toOrFrom(props.action)} ${groupName(props.group)}…`;
  return {
    text: plainFallback(`Applying… (${people(props.total)}, ${fallbackGroupName(props.group)})`),
    blocks: [
      section(`:hourglass_flowing_sand: Applying… ${line}`),
      context('This message shows the result when done.'),
    ],
  };
}

/** "Adding 400 of 1,000 ▓▓▓▓░░░░░░" (SPEC §4.1). */
export function applyProgressMessage(props: ApplyProgressProps): SlackMessage {
  const verb = progressVerb(props.action);
  const done = Math.min(props.done, props.total);
  const line =
    `${verb} ${formatCount(done)} of ${formatCount(props.total)} ${toOrFrom(props.action)} ` +
    `${groupName(props.group)}  ${progressBar(done, props.total)}`;
  return {
    text: plainFallback(`${verb} ${formatCount(done)} of ${formatCount(props.total)}`),
    blocks: [section(line), context('This message shows the result when done.')],
  };
}
