import type { StandingSync, SyncRun } from '../../approvals/standing-sync/types.js';
import { formatDuration } from '../../config/duration.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
import { slackDate } from '../text/slack-date.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, context, header, plainFallback, type SlackMessage, section } from './blocks.js';
import { people, sourceText } from './change-wording.js';

/** At most this many syncs are listed (Slack's 50 blocks); more are counted. */
const LISTED = 40;

function groupOf(sync: Pick<StandingSync, 'groupName'>): string {
  return `*${escapeMrkdwn(truncateText(sync.groupName, 100))}*`;
}

/** "applied: added 3 people, removed 2 people", "waiting for an administrator (Apply this run / Skip it)". */
export function runText(run: SyncRun | undefined): string {
  if (!run) return 'not run yet';
  const when = slackDate(run.at) ?? run.at;
  const counts =
    run.added !== undefined || run.removed !== undefined
      ? `: added ${people(run.added ?? 0)}, removed ${people(run.removed ?? 0)}`
      : '';
  const detail = run.detail ? ` (${escapeMrkdwn(truncateText(run.detail, 200))})` : '';
  const words: Record<SyncRun['outcome'], string> = {
    applied: `applied${counts}`,
    partially_applied: `partly applied${counts}`,
    failed: `failed${detail}`,
    unchanged: 'nothing to change',
    braked: `held for an administrator${counts}: *Apply this run* or *Skip it* on its approval card`,
    waiting: 'waiting for an administrator to decide the held run',
    unreadable: `the source could not be read${detail}; held for an administrator: *Apply this run* (reads it again) or *Skip it* on its approval card`,
    paused: `paused${detail}`,
  };
  return `${words[run.outcome]} · ${when}`;
}

/** `/groups syncs`: every standing sync, its source, interval, last run and its outcome, next run. */
export function standingSyncsMessage(props: {
  syncs: readonly StandingSync[];
  intervalMs: number;
}): SlackMessage {
  const { syncs } = props;
  if (syncs.length === 0) {
    return {
      text: 'No standing syncs.',
      blocks: [
        section(
          'No group is kept in sync. An administrator sets one up with ' +
            '`/groups sync <group> from <@user-group | #channel> --keep`.',
        ),
      ],
    };
  }
  const every = formatDuration(props.intervalMs);
  const blocks: Block[] = [header(`Standing syncs (${formatCount(syncs.length)})`)];
  for (const sync of syncs.slice(0, LISTED)) blocks.push(section(standingSyncLine(sync, every)));
  if (syncs.length > LISTED) blocks.push(context(`…and ${formatCount(syncs.length - LISTED)} more.`));
  blocks.push(context('`/groups unsync <group>` stops one (administrators).'));
  return { text: plainFallback(`Standing syncs: ${formatCount(syncs.length)}`), blocks };
}

/** One standing sync: group and source, its last run, its next run (`/groups syncs`, the Home tab). */
export function standingSyncLine(sync: StandingSync, every: string): string {
  const next = sync.paused
    ? 'no next run while paused'
    : `next run ${slackDate(sync.nextRunAt) ?? sync.nextRunAt}`;
  const mode = sync.addOnly ? ' (`--add-only`)' : '';
  return [
    `${groupOf(sync)} from ${sourceText(sync.source.label, 'mrkdwn')}${mode}, every ${every}`,
    `Last run: ${runText(sync.lastRun)}`,
    `${sync.paused ? ':double_vertical_bar: Paused. ' : ''}${next} · set up by ${describeActor(sync.createdBy) ?? 'an administrator'}`,
  ].join('\n');
}

/** Posted in the notifications channel when a run finds its source gone. */
export function syncPausedMessage(props: { sync: StandingSync; reason: string }): SlackMessage {
  const { sync } = props;
  const line =
    `:double_vertical_bar: The standing sync of ${groupOf(sync)} from ${sourceText(sync.source.label, 'mrkdwn')} ` +
    'is paused: its source is gone or the bot can no longer see it. Nobody was changed.';
  return {
    text: plainFallback(`Standing sync of ${escapeMrkdwn(sync.groupName)} paused.`),
    blocks: [
      section(line),
      ...(props.reason ? [context(escapeMrkdwn(truncateText(props.reason, 300)))] : []),
      context(
        'An administrator can set it up again with `/groups sync … --keep`, or stop it with `/groups unsync`.',
      ),
    ],
  };
}

/** The answer to `/groups unsync <group>`. */
export function syncStoppedMessage(sync: StandingSync): SlackMessage {
  return {
    text: plainFallback(`Stopped the standing sync of ${escapeMrkdwn(sync.groupName)}.`),
    blocks: [
      section(
        `Stopped the standing sync of ${groupOf(sync)} from ${sourceText(sync.source.label, 'mrkdwn')}. ` +
          'Its members stay as they are.',
      ),
    ],
  };
}
