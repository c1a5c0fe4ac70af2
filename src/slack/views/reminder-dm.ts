import type { MembershipEnd } from '../../approvals/expiry/types.js';
import { ACTION } from '../ids.js';
import { actions, button, context, plainFallback, type SlackMessage, section } from './blocks.js';
import { fallbackGroupName, groupName, people } from './change-wording.js';
import { fitItems, personLabel } from './name-list.js';
import { whenText } from './term-wording.js';

/** What a reminder's buttons stand for: the ends one change gave (the requester's), or one person's. */
export type ReminderTarget = { groupId: string; setBy: string; userId?: string };

export function reminderValue(target: ReminderTarget): string {
  return [target.groupId, target.setBy, ...(target.userId ? [target.userId] : [])].join(':');
}

export function parseReminderValue(value: unknown): ReminderTarget | null {
  if (typeof value !== 'string') return null;
  const match = /^([0-9]{1,20}):([A-Za-z0-9_-]{1,64})(?::([0-9]{1,20}))?$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { groupId: match[1], setBy: match[2], ...(match[3] ? { userId: match[3] } : {}) };
}

export type ReminderProps = {
  /** The ends this reminder is about (one group, one end change); for a member, their own. */
  ends: readonly MembershipEnd[];
  /** `member`: the person whose access ends; `requester`: who asked for it. */
  audience: 'member' | 'requester';
};

/**
 * The reminder before a temporary membership ends (SPEC §4.6, EXPIRY_REMINDER): when it ends, and
 * Extend 7 days / Extend 30 days / Let it end. Extending is a change like any other (an administrator's is
 * applied at once, anyone else's is sent for approval).
 */
export function reminderDm(props: ReminderProps): SlackMessage {
  const { ends, audience } = props;
  const first = ends[0]!;
  const group = { id: first.groupId, name: first.groupName };
  const soonest = [...ends].map((e) => e.endsAt).sort()[0]!;
  const lead =
    audience === 'member'
      ? `:hourglass_flowing_sand: Your access to ${groupName(group)} ends ${whenText(soonest)}.`
      : `:hourglass_flowing_sand: The access you asked for ends ${whenText(soonest)}: ${people(ends.length)} in ${groupName(group)}.`;
  const blocks = [section(lead)];
  if (audience === 'requester')
    blocks.push(
      section(
        fitItems(
          ends.map((e) => personLabel(e.user)),
          2600,
        ).text,
      ),
    );
  blocks.push(
    context(
      'Extending is a change like any other: an administrator applies it at once, anyone else asks for approval.',
    ),
  );
  const target: ReminderTarget = {
    groupId: first.groupId,
    setBy: first.setBy,
    ...(audience === 'member' ? { userId: first.userId } : {}),
  };
  const value = reminderValue(target);
  blocks.push(
    actions([
      button({ text: 'Extend 7 days', actionId: ACTION.reminderExtend7, value, style: 'primary' }),
      button({ text: 'Extend 30 days', actionId: ACTION.reminderExtend30, value }),
      button({ text: 'Let it end', actionId: ACTION.reminderLetEnd, value }),
    ]),
  );
  const fallback =
    audience === 'member'
      ? `Your access to ${fallbackGroupName(group)} ends soon.`
      : `The access of ${people(ends.length)} to ${fallbackGroupName(group)} ends soon.`;
  return { text: plainFallback(fallback), blocks };
}

/** After "Let it end": the buttons go, the end stays. */
export function letItEndMessage(ends: readonly MembershipEnd[]): SlackMessage {
  if (ends.length === 0)
    return {
      text: 'This access has already ended or its end was changed.',
      blocks: [section('This access has already ended or its end was changed.')],
    };
  const first = ends[0]!;
  const group = { id: first.groupId, name: first.groupName };
  const text = `OK: the access to ${groupName(group)} ends as planned, ${whenText(first.endsAt)}.`;
  return {
    text: plainFallback(`OK: the access to ${fallbackGroupName(group)} ends as planned.`),
    blocks: [section(text)],
  };
}
