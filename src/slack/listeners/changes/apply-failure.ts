import type { RespondFn } from '@slack/bolt';
import type { ActingUser } from '../../../approvals/policy.js';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import type { SlackContext } from '../../context.js';
import { describeError, respondWithError } from '../../respond-error.js';
import { previewMessage } from '../../views/preview-message.js';
import { resultMessage } from '../../views/result-message.js';
import { reply, respondOrElsewhere } from '../commands/reply.js';

/**
 * Apply did not go through. What the person sees depends on where the change is now, read again:
 * - done (someone else's click won): the result, with the reason this click did nothing on top;
 * - still a preview (a refusal, or Kantata/the store failed before anything moved): the preview with its
 *   buttons back if "Applying…" had replaced it, and the reason below it;
 * - anything else: the reason below, leaving the message as it is.
 * The result and the reason go apart (ephemerally or by DM) should Slack refuse the response_url, as a
 * result does: the person must learn that their click did not apply the change. Putting the preview back
 * is cosmetic and stays on the response_url.
 */
export async function answerApplyFailure(
  ctx: SlackContext,
  input: {
    changeId: string;
    error: unknown;
    respond: RespondFn;
    /** Where the answer goes when Slack refuses the response_url (its uses spent, or expired). */
    elsewhere: RespondFn;
    replacedPreview: boolean;
    acting: ActingUser;
  },
): Promise<void> {
  const { error, respond } = input;
  const meta = { action: 'apply', changeId: input.changeId };
  const answer = respondOrElsewhere({ respond, elsewhere: input.elsewhere, logger: ctx.logger, meta });
  const current = await ctx.changes.getChange(input.changeId).catch(() => null);
  if (current?.report && isAppErrorWithCode(error, 'change_already_decided')) {
    const { text } = describeError(ctx, error, meta);
    return reply(answer, resultMessage({ change: current, report: current.report, note: text }), {
      replace: true,
    });
  }
  if (current?.status === 'previewed' && input.replacedPreview) {
    const allowed = await ctx.changes.previewActions(current, input.acting);
    await reply(respond, previewMessage({ change: current, allowed }), { replace: true }).catch(
      () => undefined,
    );
  }
  await respondWithError(ctx, answer, error, meta);
}
