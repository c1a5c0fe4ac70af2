import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { SlackPeopleError } from './people/slack-people-error.js';
import { messageForError } from './text/error-messages.js';
import { plainFallback, section } from './views/blocks.js';
import { changeModalError } from './views/change-modal-status.js';

/** This app's own organization, from `auth.test` at start. Unknown (empty) until then. */
export type OwnOrganization = { teamId?: string; enterpriseId?: string };

type Payload = Record<string, unknown> & {
  user?: { id?: unknown; team_id?: unknown };
  enterprise?: { id?: unknown } | null;
};

/** The acting user's workspace and enterprise, as the payload says (commands are flat, interactions nested). */
function organizationOf(body: Payload): { teamId?: string; enterpriseId?: string } {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const teamId = typeof body.command === 'string' ? str(body.team_id) : str(body.user?.team_id);
  const enterpriseId = str(body.enterprise_id) ?? str(body.enterprise?.id);
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

/**
 * Only people of this workspace act (issue 15 item 5). A command, click, submission or option load from a
 * user of another organization (a Slack Connect channel: the user's team is not the app's own, and not of
 * the app's own Enterprise Grid either) is refused here, before any identity lookup, so an email another
 * organization controls is never matched to a Kantata user. A payload that names no team is let through:
 * there is nothing to compare, and the identity checks that follow still apply.
 */
export function refuseOtherOrganizations(
  own: () => OwnOrganization,
  logger: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Payload;
    const home = own();
    const theirs = organizationOf(body);
    const sameTeam = !home.teamId || !theirs.teamId || theirs.teamId === home.teamId;
    const sameEnterprise = home.enterpriseId !== undefined && theirs.enterpriseId === home.enterpriseId;
    if (sameTeam || sameEnterprise) {
      await args.next();
      return;
    }
    const text = messageForError(new SlackPeopleError('external_user', 'user of another organization'), '');
    logger.info('request refused', { code: 'external_user', teamId: theirs.teamId, type: body.type });
    await answerRefusal(args, body, text);
  };
}

async function answerRefusal(args: AnyMiddlewareArgs, body: Payload, text: string): Promise<void> {
  const ack = 'ack' in args ? (args.ack as (response?: unknown) => Promise<void>) : undefined;
  const message = { response_type: 'ephemeral', text: plainFallback(text), blocks: [section(text)] };
  if (typeof body.command === 'string') return ack?.(message);
  if (body.type === 'view_submission')
    return ack?.({ response_action: 'update', view: changeModalError(text) });
  if (body.type === 'block_suggestion') return ack?.({ options: [] });
  await ack?.();
  const respond =
    'respond' in args ? (args.respond as ((m: unknown) => Promise<unknown>) | undefined) : undefined;
  await respond?.({ ...message, replace_original: false }).catch(() => undefined);
}
