import type { Change } from '../../approvals/types.js';
import type { KantataUser } from '../../membership/types.js';
import { formatCount } from '../text/format-count.js';
import { type Block, header, plainFallback, section } from './blocks.js';
import {
  fallbackGroupName,
  groupName,
  plainGroupName,
  reasonText,
  sourceText,
  syncCounts,
} from './change-wording.js';
import { fitItems, personLabel } from './name-list.js';
import { unresolvedSections } from './unresolved-section.js';

type SyncPreviewChange = Pick<Change, 'group' | 'plan' | 'reason'> &
  Partial<Pick<Change, 'syncSource' | 'keep'>>;

/**
 * The preview of a sync (SPEC §4.7): to add, to remove, unchanged, the members kept (with why), and the
 * source people who could not be resolved, each with the reason.
 */
export function syncPreviewBlocks(change: SyncPreviewChange): Block[] {
  const { plan } = change;
  const toRemove = plan.toRemove ?? [];
  const kept = plan.kept ?? [];
  const from = change.syncSource ? ` from ${sourceText(change.syncSource.label, 'plain')}` : '';
  const work = plan.toChange.length + toRemove.length > 0;
  const blocks: Block[] = [
    header(work ? `Preview: sync ${plainGroupName(change.group)}${from}` : 'Nothing to change'),
  ];
  const source = change.syncSource ? sourceText(change.syncSource.label, 'mrkdwn') : 'the source';
  if (work) {
    blocks.push(section(`${groupName(change.group)} will match ${source}: ${syncCounts(plan)}.`));
  } else {
    blocks.push(section(`Nothing to change: ${groupName(change.group)} already has everyone in ${source}.`));
  }
  blocks.push(...listSection('Will be added', plan.toChange, 2400));
  blocks.push(...listSection('Will be removed', toRemove, 2400));
  blocks.push(...listSection('Unchanged', plan.unchanged, 1200));
  if (kept.length > 0) {
    const why = plan.addOnly
      ? 'not in the source, kept because of `--add-only`'
      : 'not in the source, but kept: a source person who could not be resolved may be one of them';
    blocks.push(...listSection(`Kept (${why})`, kept, 1200));
  }
  blocks.push(...unresolvedSections(plan.unresolved, 2000));
  if (change.keep) {
    blocks.push(
      section(
        ':repeat: `--keep`: once applied, the bot keeps the group in sync with the source every SYNC_INTERVAL ' +
          '(a run that would remove many people waits for an administrator).',
      ),
    );
  }
  if (change.reason) blocks.push(section(`*Reason:* ${reasonText(change.reason)}`));
  return blocks;
}

export function syncPreviewFallback(change: SyncPreviewChange): string {
  const counts = syncCounts(change.plan);
  return plainFallback(`Preview: sync ${fallbackGroupName(change.group)} (${counts}).`);
}

function listSection(title: string, users: readonly KantataUser[], budget: number): Block[] {
  if (users.length === 0) return [];
  return [
    section(`*${title} (${formatCount(users.length)}):* ${fitItems(users.map(personLabel), budget).text}`),
  ];
}
