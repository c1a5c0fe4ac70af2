import type { RespondFn } from '@slack/bolt';
import type { Group } from '../../../membership/types.js';
import type { SlackContext } from '../../context.js';
import type { GroupRef } from '../../grammar/parse-groups-command.js';
import type { SlackMessage } from '../../views/blocks.js';
import { EXPIRING_PAGE_SIZE, expiringMessage } from '../../views/expiring-message.js';
import { reply } from './reply.js';
import { turnedAwayViewer } from './viewer-check.js';

/** `/groups expiring [<group>]`: the first page; Next / Previous replace it (see expiring-page-action.ts). */
export async function runExpiringCommand(
  ctx: SlackContext,
  input: { userId: string; group?: GroupRef; respond: RespondFn },
): Promise<void> {
  if (await turnedAwayViewer(ctx, input.userId, input.respond)) return;
  const group = input.group ? await ctx.membership.findGroup(input.group) : undefined;
  await reply(input.respond, await expiringPage(ctx, group, 1));
}

/** One page of temporary memberships; a page past the end (some ended meanwhile) shows the last one. */
export async function expiringPage(
  ctx: SlackContext,
  group: Group | undefined,
  page: number,
): Promise<SlackMessage> {
  const load = (p: number) =>
    ctx.changes.listExpiring({
      ...(group ? { groupId: group.id } : {}),
      offset: (p - 1) * EXPIRING_PAGE_SIZE,
      limit: EXPIRING_PAGE_SIZE,
    });
  let shown = page;
  let result = await load(shown);
  const last = Math.max(1, Math.ceil(result.total / EXPIRING_PAGE_SIZE));
  if (shown > last) {
    shown = last;
    result = await load(shown);
  }
  return expiringMessage({
    ...(group ? { group } : {}),
    ends: result.ends,
    total: result.total,
    page: shown,
  });
}
