import type { ActingUser } from '../approvals/policy.js';
import type { Identity } from '../membership/identity.js';
import type { SlackContext } from './context.js';
import { escapeMrkdwn } from './text/escape-mrkdwn.js';

export type ActingUserResult =
  | { ok: true; acting: ActingUser; identity: Extract<Identity, { linked: true }> }
  | { ok: false; message: string; isGuest: boolean };

/**
 * Establishes who is acting, when the action arrives (SPEC §2: a command, submission, option load or
 * click is authorized at that moment, never when its message or modal was made).
 */
export async function resolveActingUser(ctx: SlackContext, slackUserId: string): Promise<ActingUserResult> {
  const profile = await ctx.directory.getCallerProfile(slackUserId);
  if (!profile || profile.deleted) {
    return {
      ok: false,
      isGuest: false,
      message: 'Slack could not tell the bot who you are. Please try again.',
    };
  }
  if (profile.isGuest) {
    return {
      ok: false,
      isGuest: true,
      message: 'Guests cannot use `/groups`: ask a member of your workspace.',
    };
  }
  if (profile.isBot) return { ok: false, isGuest: false, message: 'Bots cannot use `/groups`.' };
  const identity = await ctx.identity.identify({
    slackUserId,
    ...(profile.email ? { email: profile.email } : {}),
    isGuest: profile.isGuest,
    isBot: profile.isBot,
  });
  if (!identity.linked)
    return { ok: false, isGuest: false, message: notLinkedMessage(identity, profile.email) };
  return {
    ok: true,
    identity,
    acting: {
      actor: { slackUserId, kantataUserId: identity.user.id, name: identity.user.name || profile.name },
      isAdmin: identity.isAdmin,
      isGuest: false,
    },
  };
}

/**
 * Who is acting, found alongside the reads an answer needs (a preview's group and people). Both only read,
 * and a refused caller gets their refusal and nothing else, as if they had been checked first; their reads
 * are dropped unseen. What it saves is the caller's Kantata lookup (a round trip on each person's first
 * command in a minute, and on every command right after a restart) from the time to the answer.
 * `reads` is given the check, to hold back anything it would say to the caller until it has passed.
 */
export async function resolveActingUserWhile<T>(
  ctx: SlackContext,
  slackUserId: string,
  reads: (allowed: Promise<boolean>) => Promise<T>,
): Promise<
  Extract<ActingUserResult, { ok: false }> | (Extract<ActingUserResult, { ok: true }> & { read: T })
> {
  const who = resolveActingUser(ctx, slackUserId);
  const read = reads(
    who.then(
      (w) => w.ok,
      () => false,
    ),
  );
  read.catch(() => undefined);
  const acting = await who;
  if (!acting.ok) return acting;
  return { ...acting, read: await read };
}

const ASK_FOR_LINK = 'Ask a Kantata administrator to link you with `/groups link @you <your Kantata email>`.';

export function notLinkedMessage(identity: Extract<Identity, { linked: false }>, email?: string): string {
  const shownEmail = email ? `*${escapeMrkdwn(email)}*` : 'your Slack email';
  switch (identity.reason) {
    case 'guest':
      return 'Guests cannot use `/groups`.';
    case 'bot':
      return 'Bots cannot use `/groups`.';
    case 'no_email':
      return `The bot cannot read an email on your Slack profile, so it cannot find you in Kantata. ${ASK_FOR_LINK}`;
    case 'email_domain_not_allowed':
      return `${shownEmail} is not in a domain this workspace matches to Kantata automatically. ${ASK_FOR_LINK}`;
    case 'no_kantata_user':
      return `No active Kantata user on this account has the email ${shownEmail}. ${ASK_FOR_LINK}`;
    case 'several_matches':
      return `Several Kantata users have the email ${shownEmail}, so the bot cannot tell which is you. ${ASK_FOR_LINK}`;
    case 'disabled':
      return 'Your Kantata account is disabled, so you cannot use `/groups`. Ask a Kantata administrator.';
    case 'link_target_missing':
      return `You are linked to a Kantata user that no longer exists or is disabled. Ask a Kantata administrator to link you again with \`/groups link\`.`;
  }
}
