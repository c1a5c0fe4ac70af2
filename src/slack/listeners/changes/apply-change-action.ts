import type { WebClient } from '@slack/web-api';
import type { AppliedChange } from '../../../approvals/change-service.js';
import { workCount } from '../../../approvals/change-steps.js';
import type { ActingUser } from '../../../approvals/policy.js';
import { deliverOwed } from '../../announce/announcer.js';
import type { SlackContext } from '../../context.js';
import { createProgressThrottle } from '../../progress-throttle.js';
import { applyingMessage, applyProgressMessage } from '../../views/apply-progress-message.js';
import { resultMessage } from '../../views/result-message.js';
import { reply, replyOrElsewhere } from '../commands/reply.js';
import { answerApplyFailure } from './apply-failure.js';
import type { BlockActionArgs } from './button-args.js';
import { changeButtonListener } from './change-button.js';
import { rememberClicker } from './resumed-result.js';

/**
 * Apply on a preview (value: change id). The clicker is authorized now; the change moves
 * `previewed → applying` atomically, so a double click or an old preview applies nothing twice.
 */
export function applyChangeListener(ctx: SlackContext) {
  return changeButtonListener(ctx, 'apply', ({ args, click, changeId, acting }) =>
    applyWithProgress(ctx, {
      acting,
      changeId,
      respond: click.respond,
      elsewhere: click.elsewhere,
      client: args.client,
      ...(click.responseUrl ? { responseUrl: click.responseUrl } : {}),
    }),
  );
}

async function applyWithProgress(
  ctx: SlackContext,
  input: {
    acting: ActingUser;
    changeId: string;
    respond: BlockActionArgs['respond'];
    elsewhere: BlockActionArgs['respond'];
    client: WebClient;
    responseUrl?: string;
  },
): Promise<void> {
  const { acting, respond } = input;
  const change = await ctx.changes.getChange(input.changeId);
  const total = workCount(change.plan);
  // "Applying…" replaces the buttons at once, but only when the core will most likely go ahead: a refusal
  // (not allowed, already applied) must leave the preview or the result where it is.
  const showApplying = (await ctx.changes.previewActions(change, acting)).canApply;
  const updates = progressUpdatesLeft(ctx, input.responseUrl, showApplying);
  // The two steps below are best effort and run while the change starts, not before it (Slack's answer
  // takes a round trip, the store a commit); whatever is shown later is sent after "Applying…".
  // If the bot stops halfway, the next start finishes the change and answers the clicker here.
  const remembered =
    showApplying && input.responseUrl ? rememberClicker(ctx, change, input.responseUrl) : Promise.resolve();
  // Cosmetic: if Slack does not take it, the change is still applied and the result still shown.
  const applyingShown = showApplying
    ? reply(respond, applyingMessage({ action: change.action, group: change.group, total }), {
        replace: true,
      }).catch((error: unknown) =>
        ctx.logger.warn('could not show Applying…', { changeId: change.id, error }),
      )
    : Promise.resolve();
  const progress = createProgressThrottle({
    show: (p) =>
      applyingShown.then(() =>
        reply(respond, applyProgressMessage({ action: change.action, group: change.group, ...p }), {
          replace: true,
        }),
      ),
    onError: (error) => ctx.logger.warn('progress update failed', { changeId: change.id, error }),
    maxUpdates: updates,
  });
  let applied: AppliedChange;
  try {
    applied = await ctx.changes.apply(change.id, acting, { onProgress: progress.report });
  } catch (error) {
    await Promise.all([remembered, applyingShown, progress.finish()]);
    return answerApplyFailure(ctx, {
      changeId: change.id,
      error,
      respond,
      elsewhere: input.elsewhere,
      replacedPreview: showApplying,
      acting,
    });
  }
  await Promise.all([remembered, applyingShown, progress.finish()]);
  // Should Slack refuse it all the same (another replica used the url too, or it expired), the result goes
  // ephemerally or by DM: it is the one answer that must arrive.
  const answered = replyOrElsewhere(
    { respond, elsewhere: input.elsewhere, logger: ctx.logger, meta: { changeId: change.id } },
    resultMessage({ change: applied.change, report: applied.report }),
    { replace: true },
  ).catch((error: unknown) =>
    ctx.logger.warn('could not deliver the result of a change', { changeId: change.id, error }),
  );
  // The rest goes to the announcer; it does not wait for Slack's answer to the clicker, and a stop waits for
  // it. It starts a turn of the event loop later, once the answer is on its way: the channel notice of a
  // 10,000-person change takes a while to build, and the clicker's result must not wait behind it.
  void ctx.work.track(
    nextTurn().then(() => deliverOwed({ ...ctx, client: input.client }, applied.change.id)),
  );
  await answered;
}

/** Without a response_url (a click in a view) answers are DMs: a couple of updates at most. */
const UPDATES_WITHOUT_RESPONSE_URL = 2;

/**
 * A response_url takes five posts, and the command may have used some already (its "Looking up…", the
 * preview): progress gets what is left once "Applying…" and the result, which must arrive, have theirs.
 */
function progressUpdatesLeft(
  ctx: SlackContext,
  responseUrl: string | undefined,
  showApplying: boolean,
): number {
  if (!responseUrl) return UPDATES_WITHOUT_RESPONSE_URL;
  return Math.max(0, ctx.responseUrls.remaining(responseUrl) - (showApplying ? 1 : 0) - 1);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
