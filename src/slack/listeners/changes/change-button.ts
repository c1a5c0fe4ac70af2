import type { ActingUser } from '../../../approvals/policy.js';
import { AppError } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { reply } from '../commands/reply.js';
import { type BlockActionArgs, type ButtonClick, changeIdFrom, readButtonClick } from './button-args.js';

/** A click on a button that carries a change id, once the opening is done: who clicks, on what. */
export type ChangeClick = {
  args: BlockActionArgs;
  click: ButtonClick;
  changeId: string;
  acting: ActingUser;
  /** Log fields of this click (action, change, user). */
  meta: Record<string, unknown>;
};

export type ChangeClickFailure = {
  args: BlockActionArgs;
  click: ButtonClick;
  changeId: string | undefined;
  error: unknown;
  meta: Record<string, unknown>;
};

/**
 * The opening every button listener on a change shares: ack at once (the 3-second rule), read the click
 * defensively, refuse a button without a change id, establish who is clicking now (SPEC §2), then hand
 * over. Anything thrown is answered with its sentence (or by `onError`), never into Bolt.
 */
export function changeButtonListener(
  ctx: SlackContext,
  action: string,
  handle: (click: ChangeClick) => Promise<void>,
  options: { onError?: (failure: ChangeClickFailure) => Promise<void> } = {},
) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const meta = { action, changeId, userId: click.userId };
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      await handle({ args, click, changeId, acting: who.acting, meta });
    } catch (error) {
      if (options.onError) await options.onError({ args, click, changeId, error, meta });
      else await respondWithError(ctx, click.respond, error, meta);
    }
  };
}
