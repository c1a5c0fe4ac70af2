import type { OwnerRef, OwnersMay } from '../../approvals/owners/types.js';
import type { Group } from '../../membership/types.js';
import { ownerMention } from '../owners/owner-refs.js';
import { context, plainFallback, type SlackMessage, section } from './blocks.js';
import { groupName, plainGroupName } from './change-wording.js';
import { fitItems } from './name-list.js';

const POWERS: Record<OwnersMay, string> = {
  approve: 'Owners approve or deny requests for this group (never their own).',
  apply:
    'Owners approve or deny requests for this group (never their own) and apply their own changes to it directly.',
  none: 'Owners are turned off in this workspace (`OWNERS_MAY=none`): they are kept, but decide nothing.',
};

/** `/groups owners <group>`: who owns it, and what owners may do here. */
export function ownersMessage(props: {
  group: Group;
  owners: readonly OwnerRef[];
  ownersMay: OwnersMay;
}): SlackMessage {
  const { group, owners } = props;
  if (owners.length === 0) {
    const text = `${groupName(group)} has no owners: only Kantata administrators decide its requests.`;
    return {
      text: plainFallback(`${plainGroupName(group)} has no owners.`),
      blocks: [
        section(text),
        context(`An administrator adds some with \`/groups owners ${plainGroupName(group)} add @someone\`.`),
      ],
    };
  }
  const list = fitItems(owners.map(ownerMention), 2800).text;
  return {
    text: plainFallback(`Owners of ${plainGroupName(group)}: ${owners.length}`),
    blocks: [
      section(`*Owners of ${groupName(group)}* (${owners.length}): ${list}`),
      context(`${POWERS[props.ownersMay]} A user group’s members are owners while they are in it.`),
    ],
  };
}

/** The answer to `/groups owners <group> add|remove …`. */
export function ownersChangedMessage(props: {
  group: Group;
  action: 'add' | 'remove';
  changed: readonly OwnerRef[];
  unchanged: readonly OwnerRef[];
  owners: readonly OwnerRef[];
  ownersMay: OwnersMay;
}): SlackMessage {
  const { group, action } = props;
  const names = (refs: readonly OwnerRef[]) => fitItems(refs.map(ownerMention), 1200).text;
  const lines: string[] = [];
  if (props.changed.length > 0) {
    lines.push(
      action === 'add'
        ? `:white_check_mark: ${names(props.changed)} ${props.changed.length === 1 ? 'is' : 'are'} now ${props.changed.length === 1 ? 'an owner' : 'owners'} of ${groupName(group)}.`
        : `:white_check_mark: ${names(props.changed)} ${props.changed.length === 1 ? 'is' : 'are'} no longer ${props.changed.length === 1 ? 'an owner' : 'owners'} of ${groupName(group)}.`,
    );
  }
  if (props.unchanged.length > 0) {
    lines.push(
      action === 'add'
        ? `Already owners: ${names(props.unchanged)}.`
        : `Not owners, so nothing to remove: ${names(props.unchanged)}.`,
    );
  }
  if (props.changed.length === 0) lines.unshift('Nothing changed.');
  const now = props.owners.length === 0 ? 'It has no owners now.' : `Owners now: ${names(props.owners)}.`;
  const off =
    props.ownersMay === 'none' ? ' Owners are turned off in this workspace (`OWNERS_MAY=none`).' : '';
  return {
    text: plainFallback(
      `Owners of ${plainGroupName(group)} ${props.changed.length > 0 ? 'changed' : 'unchanged'}.`,
    ),
    blocks: [section(lines.join('\n')), context(`${now}${off} Recorded in \`/groups history\`.`)],
  };
}
