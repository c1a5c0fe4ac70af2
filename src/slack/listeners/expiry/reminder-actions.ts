import type { ActingUser } from '../../../approvals/policy.js';
import { resolveActingUser } from '../../acting-user.js';
import { deliverOwed } from '../../announce/announcer.js';
import { postApprovalCard } from '../../approvals/post-approval-card.js';
import type { SlackContext } from '../../context.js';
import { ACTION } from '../../ids.js';
import { respondWithError } from '../../respond-error.js';
import { type SlackMessage, textMessage } from '../../views/blocks.js';
import { requestSentMessage } from '../../views/change-status-messages.js';
import { letItEndMessage, parseReminderValue, type ReminderTarget } from '../../views/reminder-dm.js';
import { resultMessage } from '../../views/result-message.js';
import type { ListenerRegistry } from '../action-router.js';
import { type BlockActionArgs, readButtonClick } from '../changes/button-args.js';
import { reply } from '../commands/reply.js';

const DAY = 86_400_000;
const INVALID_BUTTON = 'This button is not valid. `/groups expiring` lists the temporary memberships.';
const NOTHING_LEFT =
  'Nothing to extend: this access has already ended or its end was changed. `/groups expiring` shows what is left.';

/** The reminder's buttons: Extend 7 days, Extend 30 days, Let it end. */
export function registerReminderListeners(app: ListenerRegistry, ctx: SlackContext): void {
  app.action(
    ACTION.reminderExtend7,
    reminderListener(ctx, (t, by) => extend(ctx, t, by, 7 * DAY)),
  );
  app.action(
    ACTION.reminderExtend30,
    reminderListener(ctx, (t, by) => extend(ctx, t, by, 30 * DAY)),
  );
  app.action(
    ACTION.reminderLetEnd,
    reminderListener(ctx, (t) => letItEnd(ctx, t)),
  );
}

function reminderListener(
  ctx: SlackContext,
  handle: (target: ReminderTarget, by: ActingUser) => Promise<SlackMessage>,
) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const target = parseReminderValue(click.value);
    try {
      if (!target || !click.userId) return await reply(click.respond, textMessage(INVALID_BUTTON));
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      await reply(click.respond, await handle(target, who.acting), { replace: true });
    } catch (error) {
      await respondWithError(ctx, click.respond, error, { action: 'reminder', value: click.value });
    }
  };
}

/**
 * An extension is a change like any other (SPEC §4.6): a preview of an add that moves the ends on, applied at
 * once by an administrator the policy lets apply, sent for approval by anyone else.
 */
async function extend(
  ctx: SlackContext,
  target: ReminderTarget,
  by: ActingUser,
  ms: number,
): Promise<SlackMessage> {
  const ends = await ctx.changes.extendableEnds(target);
  if (ends.length === 0) return textMessage(NOTHING_LEFT);
  const first = ends[0]!;
  const preview = await ctx.changes.previewChange({
    by,
    action: 'add',
    group: { id: first.groupId, name: first.groupName },
    people: ends.map((end) => ({ kind: 'kantata_id', id: end.userId, label: end.user.name })),
    term: { kind: 'extend', ms },
    reason: `Extension of temporary access (reminder of change ${first.setBy})`,
  });
  if (preview.allowed.canApply) {
    const applied = await ctx.changes.apply(preview.id, by);
    // The rest is the announcer's (it never throws; what it cannot post yet the relay retries).
    void ctx.work.track(deliverOwed(ctx, applied.change.id));
    return resultMessage({ change: applied.change, report: applied.report });
  }
  const pending = await ctx.changes.requestChange(preview.id, by);
  await postApprovalCard(ctx, pending);
  return requestSentMessage({ change: pending, approvalsChannelId: ctx.config.approvalsChannelId });
}

async function letItEnd(ctx: SlackContext, target: ReminderTarget): Promise<SlackMessage> {
  return letItEndMessage(await ctx.changes.extendableEnds(target));
}
