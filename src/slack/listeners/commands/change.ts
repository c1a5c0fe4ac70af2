import type { RespondFn } from '@slack/bolt';
import { resolveActingUserWhile } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import type { GroupsCommand } from '../../grammar/parse-groups-command.js';
import { termOf } from '../../grammar/term-instant.js';
import { textMessage } from '../../views/blocks.js';
import { directoryWaitMessage } from '../../views/directory-wait-message.js';
import { previewMessage } from '../../views/preview-message.js';
import { reply } from './reply.js';

type ChangeCommand = Extract<GroupsCommand, { kind: 'add' | 'remove' }>;

/**
 * `/groups add|remove <group> <people…> [--for|--until] [--reason]`: never changes anything at once (SPEC §4.1). It stores a
 * preview planned against Kantata's current state and shows it with the buttons this person may use.
 */
export async function runChangeCommand(
  ctx: SlackContext,
  input: { userId: string; command: ChangeCommand; respond: RespondFn },
): Promise<void> {
  const { command } = input;
  const who = await resolveActingUserWhile(ctx, input.userId, (allowed) =>
    Promise.all([
      ctx.membership.findGroup(command.group),
      ctx.directory.resolvePersonTokens(command.people, {
        emailDomains: ctx.config.identityEmailDomains,
        onWait: async (wait) => {
          if (await allowed) await reply(input.respond, directoryWaitMessage(wait));
        },
      }),
    ]),
  );
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  const [group, people] = who.read;
  // `--until` is the end of that day where the caller lives (users.info `tz`).
  const term = command.term
    ? termOf(command.term, (await ctx.directory.getCallerProfile(input.userId))?.tz)
    : undefined;
  const change = await ctx.changes.previewChange({
    by: who.acting,
    action: command.kind,
    group,
    people,
    ...(command.reason ? { reason: command.reason } : {}),
    ...(term ? { term } : {}),
  });
  await reply(input.respond, previewMessage({ change, allowed: change.allowed }));
}
