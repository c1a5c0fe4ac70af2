import type { SyncRunResult } from '../../approvals/standing-sync/standing-sync-ops.js';
import type { SourceRead, StandingSync } from '../../approvals/standing-sync/types.js';
import { postApprovalCard } from '../approvals/post-approval-card.js';
import { startBackgroundJob } from '../background-job.js';
import type { SlackContext } from '../context.js';
import { expandSource } from '../people/resolve-person-tokens.js';
import { isSlackPeopleError } from '../people/slack-people-error.js';
import { messageForError } from '../text/error-messages.js';
import { syncPausedMessage } from '../views/standing-sync-messages.js';
import { tokenOfSource } from './sync-source.js';

/**
 * Standing syncs (SPEC §4.7), in every replica: each due run is claimed in the store first, so it happens
 * once however many replicas look. A run is announced like any change (its notification) when it changed
 * someone; a braked run posts its approval card; a run that finds its source gone pauses the sync and says so.
 */
export function startStandingSyncJobs(
  ctx: SlackContext,
  options: { intervalMs: number },
): { stop(): void; firstRun: Promise<void> } {
  return startBackgroundJob(ctx, {
    name: 'standing syncs',
    intervalMs: options.intervalMs,
    run: async (isStopped) => {
      const results = await ctx.changes.runDueSyncs((sync) => readStandingSource(ctx, sync), {
        isStopped,
        onError: (groupId, error) =>
          ctx.logger.error('a standing sync run failed; it runs again once its claim lapses', {
            groupId,
            error,
          }),
      });
      for (const result of results) await announceRun(ctx, result);
    },
  });
}

/** The source of a standing sync as it is now: its people, or that it is gone or cannot be read. */
export async function readStandingSource(
  ctx: SlackContext,
  sync: Pick<StandingSync, 'groupId' | 'source'>,
): Promise<SourceRead> {
  const token = tokenOfSource(sync.source);
  if (!token) return { ok: false, problem: 'deleted', detail: 'The bot does not know this kind of source.' };
  let ids: string[];
  try {
    // Fresh, not the 60-second cache of commands: a run must see the group as it is now.
    ids = await expandSource(
      { ...ctx.directory, expandUsergroup: (id) => ctx.directory.expandUsergroup(id, 0) },
      token,
    );
  } catch (error) {
    const code = isSlackPeopleError(error) ? error.code : undefined;
    const detail = messageForError(error, sync.groupId);
    if (code === 'usergroup_not_found' || code === 'channel_not_visible')
      return { ok: false, problem: 'deleted', detail };
    return { ok: false, problem: 'unreadable', detail };
  }
  if (ids.length === 0) return { ok: true, people: [] };
  const people = await ctx.directory.resolveSlackUserIds(ids, {
    emailDomains: ctx.config.identityEmailDomains,
  });
  return { ok: true, people };
}

async function announceRun(ctx: SlackContext, { sync, run, braked }: SyncRunResult): Promise<void> {
  ctx.logger.info('standing sync run', {
    groupId: sync.groupId,
    outcome: run.outcome,
    changeId: run.changeId,
  });
  try {
    if (braked) await postApprovalCard(ctx, braked);
    if (run.outcome === 'paused') {
      const message = syncPausedMessage({ sync, reason: run.detail ?? '' });
      await ctx.client.chat.postMessage({
        channel: ctx.config.notifyChannelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    }
  } catch (error) {
    // A braked run's card is posted again by the approval jobs; a pause notice is shown by `/groups syncs`.
    ctx.logger.warn('a standing sync announcement could not be posted', { groupId: sync.groupId, error });
  }
}
