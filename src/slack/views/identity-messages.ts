import type { AllowedActions } from '../../approvals/policy.js';
import type { KantataUser } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { truncateText } from '../text/truncate-text.js';
import { context, plainFallback, type SlackMessage, section } from './blocks.js';

export type WhoamiProps = {
  slackUserId: string;
  user: Pick<KantataUser, 'id' | 'name' | 'email'>;
  via: 'link' | 'email';
  isAdmin: boolean;
  allowed: AllowedActions;
  /** Groups this person owns now (SPEC §4.8); 0 or absent: none. */
  ownedGroups?: number;
};

/** `/groups whoami` for a linked user: the Kantata user, how it was found, and what they may do. */
export function whoamiMessage(props: WhoamiProps): SlackMessage {
  const { user } = props;
  const via =
    props.via === 'link'
      ? 'an explicit link made by a Kantata administrator'
      : 'the email address on your Slack profile';
  const role = props.isAdmin ? 'a Kantata *account administrator*' : '*not* a Kantata account administrator';
  const can = props.allowed.canApply
    ? 'You can apply changes directly after a preview.'
    : props.allowed.canRequest
      ? 'You can request changes; an administrator approves them.'
      : 'Under this workspace’s approval policy you cannot change groups.';
  const owned = props.ownedGroups ?? 0;
  const owner =
    owned > 0
      ? ` You own ${owned} ${owned === 1 ? 'group' : 'groups'}: you approve or deny their requests (\`/groups requests\`).`
      : '';
  const lines = [
    `You are *${name(user.name)}* in Kantata (${escapeMrkdwn(truncateText(user.email, 120))}, \`id:${escapeMrkdwn(user.id)}\`), found through ${via}.`,
    `You are ${role}. ${can}${owner}`,
  ];
  return {
    text: plainFallback(`You are ${name(user.name)} in Kantata${props.isAdmin ? ' (administrator)' : ''}.`),
    blocks: [section(lines.join('\n'))],
  };
}

/** `/groups whoami` for someone the bot cannot match to Kantata: why, and what to do (acting-user.ts). */
export function notLinkedWhoamiMessage(why: string): SlackMessage {
  return {
    text: plainFallback('You are not linked to a Kantata user.'),
    blocks: [section(`You are not linked to a Kantata user. ${why}`)],
  };
}

/** `/groups link` succeeded. */
export function linkedMessage(props: {
  slackUserId: string;
  user: Pick<KantataUser, 'id' | 'name' | 'email'>;
  isAdmin: boolean;
}): SlackMessage {
  const { user } = props;
  const text =
    `:link: Linked <@${props.slackUserId}> to *${name(user.name)}* ` +
    `(${escapeMrkdwn(truncateText(user.email, 120))}, \`id:${escapeMrkdwn(user.id)}\`) in Kantata.`;
  const role = props.isAdmin
    ? 'That Kantata user is an account administrator, so they can apply changes.'
    : 'That Kantata user is not an account administrator, so they can request changes.';
  return {
    text: plainFallback(`Linked to ${name(user.name)} in Kantata.`),
    blocks: [section(text), context(`${role} The link takes effect at once; \`/groups unlink\` removes it.`)],
  };
}

/** `/groups unlink`. */
export function unlinkedMessage(slackUserId: string, removed: boolean): SlackMessage {
  const text = removed
    ? `Removed the link of <@${slackUserId}>. From now on they are matched by the email on their Slack profile, if exactly one active Kantata user has it.`
    : `<@${slackUserId}> had no explicit link, so nothing changed. They are matched by the email on their Slack profile.`;
  return {
    text: plainFallback(removed ? 'Link removed.' : 'There was no link to remove.'),
    blocks: [section(text)],
  };
}

function name(text: string): string {
  return escapeMrkdwn(truncateText(text.trim() || 'Unnamed user', 100));
}
