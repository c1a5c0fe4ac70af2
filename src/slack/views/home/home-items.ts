import type { MembershipEnd } from '../../../approvals/expiry/types.js';
import type { Change } from '../../../approvals/types.js';
import { ACTION } from '../../ids.js';
import { describeActor } from '../../text/slack-actor.js';
import { decisionButtons } from '../approval-card.js';
import { actions, type Block, type ButtonElement, button, section } from '../blocks.js';
import { actionPhrase, groupName, reasonText } from '../change-wording.js';
import { reminderValue } from '../reminder-dm.js';
import { formatAge } from '../requests-age.js';
import { whenText } from '../term-wording.js';

/** The lists of the Home tab; "More" opens the rest of one of them. */
export const HOME_LISTS = ['mine', 'memberships', 'decidable'] as const;
export type HomeList = (typeof HOME_LISTS)[number];

export type HomeRequest = Pick<
  Change,
  'id' | 'action' | 'group' | 'plan' | 'requestedBy' | 'reason' | 'createdAt' | 'expiresAt'
> &
  Partial<Pick<Change, 'standingSync'>>;
export type HomeEnd = Pick<MembershipEnd, 'groupId' | 'groupName' | 'userId' | 'endsAt' | 'setBy'>;

function ageLine(request: HomeRequest, now: Date): string {
  const at = now.getTime();
  const expiresIn = request.expiresAt ? Date.parse(request.expiresAt) - at : undefined;
  const expiry =
    expiresIn === undefined
      ? ''
      : expiresIn > 0
        ? ` · expires in ${formatAge(expiresIn)}`
        : ' · expiring now';
  return `requested ${formatAge(at - Date.parse(request.createdAt))} ago${expiry}`;
}

function what(request: HomeRequest): string {
  return `*${actionPhrase(request.action, request.plan.toChange.length)}* ${groupName(request.group)}`;
}

/** One of your pending requests, with Withdraw (the same button as on its card). */
export function myRequestItem(request: HomeRequest, now: Date): Block[] {
  const withdraw: ButtonElement = button({
    text: 'Withdraw',
    actionId: ACTION.requestWithdraw,
    value: request.id,
    confirm: {
      title: 'Withdraw this request?',
      text: 'It is cancelled and nothing changes.',
      confirm: 'Withdraw',
      deny: 'Keep it',
    },
  });
  const reason = request.reason ? `\n_${reasonText(request.reason)}_` : '';
  const text = section(`${what(request)}\n${ageLine(request, now)} · \`${request.id}\`${reason}`);
  return [{ ...text, accessory: withdraw } as Block];
}

/** One of your temporary memberships, with Extend (the reminder's buttons: a change like any other). */
export function membershipItem(end: HomeEnd): Block[] {
  const value = reminderValue({ groupId: end.groupId, setBy: end.setBy, userId: end.userId });
  return [
    section(`${groupName({ id: end.groupId, name: end.groupName })} until ${whenText(end.endsAt)}`),
    actions([
      button({ text: 'Extend 7 days', actionId: ACTION.reminderExtend7, value }),
      button({ text: 'Extend 30 days', actionId: ACTION.reminderExtend30, value }),
    ]),
  ];
}

/** A request you may decide, with Approve and Deny exactly as on its card. */
export function decidableItem(request: HomeRequest, now: Date): Block[] {
  const who = describeActor(request.requestedBy) ?? 'Someone';
  const reason = request.reason ? `\n*Reason:* ${reasonText(request.reason)}` : '\n_No reason given._';
  return [
    section(`${who} asks to ${what(request)}\n${ageLine(request, now)} · \`${request.id}\`${reason}`),
    actions(decisionButtons(request.id, request.standingSync?.brake !== undefined)),
  ];
}
