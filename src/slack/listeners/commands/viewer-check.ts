import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { reply } from './reply.js';

/**
 * Who may look (list groups, page through members): any member of the workspace, not guests, bots or
 * deactivated accounts. Looking needs no Kantata link; changing does (`resolveActingUser`).
 * Returns why not, or null.
 */
export async function refuseViewer(
  ctx: SlackContext,
  slackUserId: string | undefined,
): Promise<string | null> {
  if (!slackUserId) return 'Slack did not say who you are, so the bot cannot answer. Please try again.';
  const profile = await ctx.directory.getProfile(slackUserId);
  if (!profile || profile.deleted) return 'Slack could not tell the bot who you are. Please try again.';
  if (profile.isGuest) return 'Guests cannot use `/groups`: ask a member of your workspace.';
  if (profile.isBot) return 'Bots cannot use `/groups`.';
  return null;
}

/** Answers someone who may not look with why not and returns true; returns false for someone who may. */
export async function turnedAwayViewer(
  ctx: SlackContext,
  slackUserId: string | undefined,
  respond: RespondFn,
): Promise<boolean> {
  const refusal = await refuseViewer(ctx, slackUserId);
  if (refusal) await reply(respond, textMessage(refusal));
  return refusal !== null;
}
