import type { SlackContext } from '../../context.js';
import { loadHome } from '../../home/load-home.js';
import { describeError } from '../../respond-error.js';
import { HOME_LISTS, type HomeList } from '../../views/home/home-items.js';
import { homeMoreModal, homeNoticeModal } from '../../views/home/home-view.js';
import { type BlockActionArgs, readButtonClick } from '../changes/button-args.js';

/**
 * "More" under a Home tab list: a modal opens at once (the trigger lasts 3 s) and then shows the rest of
 * that list, read now, with the same buttons.
 */
export function homeMoreListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const triggerId = (args.body as { trigger_id?: unknown }).trigger_id;
    const list = HOME_LISTS.find((l) => l === click.value) as HomeList | undefined;
    if (!click.userId || !list || typeof triggerId !== 'string') return;
    let viewId: string | undefined;
    try {
      const opened = await args.client.views.open({
        trigger_id: triggerId,
        view: homeNoticeModal('Loading…'),
      });
      viewId = opened.view?.id;
      if (!viewId) return;
      const home = await loadHome(ctx, click.userId);
      await args.client.views.update({
        view_id: viewId,
        view: homeMoreModal({
          list,
          mine: home.mine,
          memberships: home.memberships,
          ...(home.decidable ? { decidable: home.decidable } : {}),
          now: home.now,
        }),
      });
    } catch (error) {
      const { text } = describeError(ctx, error, { action: 'home_more', userId: click.userId });
      if (viewId)
        await args.client.views
          .update({ view_id: viewId, view: homeNoticeModal(text) })
          .catch(() => undefined);
      else await click.respond({ response_type: 'ephemeral', text }).catch(() => undefined);
    }
  };
}
