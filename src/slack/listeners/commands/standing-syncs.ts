import type { RespondFn } from '@slack/bolt';
import type { StandingSync } from '../../../approvals/standing-sync/types.js';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import { groupNameKey } from '../../../membership/text.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import type { GroupRef } from '../../grammar/parse-groups-command.js';
import { textMessage } from '../../views/blocks.js';
import { standingSyncsMessage, syncStoppedMessage } from '../../views/standing-sync-messages.js';
import { reply } from './reply.js';
import { turnedAwayViewer } from './viewer-check.js';

/** `/groups syncs`: every standing sync, its source, interval, last run and outcome, next run. */
export async function runSyncsCommand(
  ctx: SlackContext,
  input: { userId: string; respond: RespondFn },
): Promise<void> {
  if (await turnedAwayViewer(ctx, input.userId, input.respond)) return;
  const syncs = await ctx.changes.listStandingSyncs();
  await reply(input.respond, standingSyncsMessage({ syncs, intervalMs: ctx.config.syncIntervalMs }));
}

/** `/groups unsync <group>`: administrators stop a group's standing sync (its members stay as they are). */
export async function runUnsyncCommand(
  ctx: SlackContext,
  input: { userId: string; group: GroupRef; respond: RespondFn },
): Promise<void> {
  const who = await resolveActingUser(ctx, input.userId);
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  const groupId = await standingSyncGroupId(ctx, input.group);
  const stopped = await ctx.changes.stopStandingSync(groupId, who.acting);
  ctx.logger.info('standing sync stopped', { groupId, by: input.userId });
  await reply(input.respond, syncStoppedMessage(stopped));
}

/** The group named, also one Kantata no longer has (its standing sync must still be stoppable). */
async function standingSyncGroupId(ctx: SlackContext, ref: GroupRef): Promise<string> {
  try {
    return (await ctx.membership.findGroup(ref)).id;
  } catch (error) {
    if (!isAppErrorWithCode(error, 'group_not_found')) throw error;
    const syncs: StandingSync[] = await ctx.changes.listStandingSyncs();
    const found = syncs.find((s) =>
      ref.kind === 'id' ? s.groupId === ref.id : groupNameKey(s.groupName) === groupNameKey(ref.name),
    );
    if (!found) throw error;
    return found.groupId;
  }
}
