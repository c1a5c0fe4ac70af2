import type { RespondFn } from '@slack/bolt';
import { resolveActingUserWhile } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import type { GroupsCommand } from '../../grammar/parse-groups-command.js';
import { readSyncSource, syncSourceOf } from '../../sync/sync-source.js';
import { textMessage } from '../../views/blocks.js';
import { directoryWaitMessage } from '../../views/directory-wait-message.js';
import { previewMessage } from '../../views/preview-message.js';
import { reply } from './reply.js';

type SyncCommand = Extract<GroupsCommand, { kind: 'sync' }>;

/**
 * `/groups sync <group> from <source> [--add-only] [--reason]` (SPEC §4.7): previews the difference between
 * the group and the source, both directions, as one stored change with the buttons this person may use.
 */
export async function runSyncCommand(
  ctx: SlackContext,
  input: { userId: string; command: SyncCommand; respond: RespondFn },
): Promise<void> {
  const { command } = input;
  const who = await resolveActingUserWhile(ctx, input.userId, (allowed) =>
    Promise.all([
      ctx.membership.findGroup(command.group),
      readSyncSource(ctx.directory, command.source, {
        emailDomains: ctx.config.identityEmailDomains,
        onWait: async (wait) => {
          if (await allowed) await reply(input.respond, directoryWaitMessage(wait));
        },
      }),
    ]),
  );
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  const [group, people] = who.read;
  const change = await ctx.changes.previewChange({
    by: who.acting,
    action: 'sync',
    group,
    people,
    sync: { source: syncSourceOf(command.source), addOnly: command.addOnly, keep: command.keep },
    ...(command.reason ? { reason: command.reason } : {}),
  });
  await reply(input.respond, previewMessage({ change, allowed: change.allowed }));
}
