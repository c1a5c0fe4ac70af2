import { deliverOwed } from '../../announce/announcer.js';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { changeButtonListener } from '../changes/change-button.js';
import { reply } from '../commands/reply.js';
import { decisionFailureHandler } from './decision-failure.js';

/**
 * Skip it on a standing sync's held run (value: change id): skipped at the click, no dialog (a skip needs
 * no reason: nothing changes, and the next run goes ahead as usual). The clicker is authorized now; the
 * run moves `pending → denied` atomically (one of two clicks wins), the card and its thread say so.
 */
export function skipHeldRunListener(ctx: SlackContext) {
  return changeButtonListener(
    ctx,
    'skip',
    async ({ args, click, changeId, acting }) => {
      const skipped = await ctx.changes.skipHeldRun(changeId, acting);
      await deliverOwed({ ...ctx, client: args.client }, skipped.id);
      await reply(
        click.respond,
        textMessage('⏭️ Skipped this run. Nobody was changed; the next run goes ahead as usual.'),
      ).catch((error: unknown) => ctx.logger.warn('could not answer the skipper', { changeId, error }));
    },
    { onError: decisionFailureHandler(ctx) },
  );
}
