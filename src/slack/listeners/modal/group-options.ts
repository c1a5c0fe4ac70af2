import type { App } from '@slack/bolt';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { ACTION } from '../../ids.js';
import { groupOptions } from '../../views/change-modal-group-options.js';
import { withinBudget } from './modal-support.js';

/**
 * Slack waits 3 seconds for options. Past this budget the answer is whatever is ready (nothing), and the
 * group list keeps loading in the background so the next keystroke finds it warm.
 */
const OPTIONS_BUDGET_MS = 2_000;

/**
 * The group field's type-ahead: authorized when it arrives (a guest or someone not linked to Kantata gets
 * no options), answered from the membership service's cached group list.
 */
export function registerGroupOptions(app: App, ctx: SlackContext): void {
  app.options<'block_suggestion'>(
    { action_id: ACTION.modalGroup, type: 'block_suggestion' },
    async ({ ack, body }) => {
      const userId = body.user.id;
      const allowed = resolveActingUser(ctx, userId).then(
        (who) => who.ok,
        (error: unknown) => {
          ctx.logger.warn('group options: could not authorize', { userId, error });
          return false;
        },
      );
      const groups = ctx.membership.searchGroups(body.value ?? '', 100).catch((error: unknown) => {
        ctx.logger.warn('group options: could not read the groups', { error });
        return [];
      });
      const answer = await withinBudget(Promise.all([allowed, groups]), OPTIONS_BUDGET_MS);
      if (!answer.done) ctx.logger.info('group options: Kantata too slow, answered with none', { userId });
      const [ok, found] = answer.done ? answer.value : [false, []];
      await ack(groupOptions(ok ? found : []));
    },
  );
}
