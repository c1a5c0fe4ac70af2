import type { AllMiddlewareArgs, BlockAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { respondElsewhere, responderFor } from '../commands/reply.js';

export type BlockActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** What a button click carries, read defensively: the payload comes from outside (zod-free, but checked). */
export type ButtonClick = {
  userId: string | undefined;
  value: string | undefined;
  /** Where the clicked message can still be answered for 30 minutes. */
  responseUrl?: string;
  /**
   * Clicked on the Home tab or in a modal, not in a message: there is no message to answer, so `respond`
   * falls back to a direct message, and a success the Home tab shows anyway needs no answer.
   */
  inView: boolean;
  respond: RespondFn;
  /** An answer without the response_url (ephemeral in the channel, or a DM), for when Slack refuses it. */
  elsewhere: RespondFn;
};

/** Change ids are short base64url strings (newChangeId); anything else is not one of our buttons. */
export function changeIdFrom(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
}

export function readButtonClick(ctx: SlackContext, args: BlockActionArgs): ButtonClick {
  const body = args.body as {
    user?: { id?: unknown };
    channel?: { id?: unknown };
    response_url?: unknown;
    container?: { type?: unknown };
  };
  const userId = typeof body.user?.id === 'string' ? body.user.id : undefined;
  const channelId = typeof body.channel?.id === 'string' ? body.channel.id : undefined;
  const raw = (args.action as { value?: unknown } | undefined)?.value;
  const where = {
    client: args.client,
    logger: ctx.logger,
    ...(userId ? { userId } : {}),
    ...(channelId ? { channelId } : {}),
  };
  return {
    userId,
    value: typeof raw === 'string' ? raw : undefined,
    inView: body.container?.type === 'view',
    ...(typeof body.response_url === 'string' ? { responseUrl: body.response_url } : {}),
    respond: responderFor({
      ...(typeof args.respond === 'function' ? { respond: args.respond } : {}),
      ...where,
    }),
    elsewhere: respondElsewhere(where),
  };
}
