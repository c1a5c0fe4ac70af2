import type { Change } from '../../approvals/types.js';
import type { ApplyReport, PersonOutcome, PersonOutcomeKind } from '../../membership/types.js';
import { escapeMrkdwn } from '../text/escape-mrkdwn.js';
import { formatCount } from '../text/format-count.js';
import { describeActor } from '../text/slack-actor.js';
import { truncateText } from '../text/truncate-text.js';
import { type Block, context, header, plainFallback, type SlackMessage, section } from './blocks.js';
import { fallbackGroupName, OUTCOME_TITLES, people, plainGroupName, reasonText } from './change-wording.js';
import { fitItems, fitLines, personLabel } from './name-list.js';
import { appliedTermLine } from './term-wording.js';
import { unresolvedSections } from './unresolved-section.js';

export type ResultProps = {
  change: Pick<Change, 'id' | 'action' | 'group' | 'reason' | 'appliedBy' | 'decidedBy'> &
    Partial<Pick<Change, 'term' | 'appliedAt'>>;
  report: ApplyReport;
  /** A line above the result, e.g. "Someone else applied this already". */
  note?: string;
};

/** The per-person result of an apply (SPEC §4.1), within Block Kit limits whatever the size. */
export function resultMessage(props: ResultProps): SlackMessage {
  const { change, report } = props;
  const counts = countOutcomes(report.outcomes);
  const blocks: Block[] = [header(headline(props))];
  if (props.note) blocks.push(context(props.note));
  blocks.push(...outcomeBlocks(report));
  const term = appliedTermLine(change);
  if (term) blocks.push(section(term));
  blocks.push(...unresolvedSections(report.unresolved, 1800));
  if (change.reason) blocks.push(section(`*Reason:* ${reasonText(change.reason)}`));
  const by = describeActor(change.appliedBy);
  const approved = describeActor(change.decidedBy);
  const footer = [
    by ? `Applied by ${by}` : '',
    approved ? `approved by ${approved}` : '',
    `change \`${change.id}\``,
  ];
  blocks.push(context(footer.filter(Boolean).join(' · ')));
  const failed = counts.failed > 0 ? `, ${formatCount(counts.failed)} failed` : '';
  return { text: plainFallback(`${headline(props, { mrkdwn: true })}${failed}.`), blocks };
}

/** One section per outcome, failed people with Kantata's reason each. */
export function outcomeBlocks(report: ApplyReport): Block[] {
  const order: PersonOutcomeKind[] =
    report.action === 'add'
      ? ['added', 'already_member', 'failed']
      : report.action === 'remove'
        ? ['removed', 'not_member', 'failed']
        : ['added', 'removed', 'already_member', 'failed'];
  const blocks: Block[] = [];
  for (const kind of order) {
    const users = report.outcomes.filter((o) => o.outcome === kind);
    if (users.length === 0) continue;
    const title = `*${OUTCOME_TITLES[kind]} (${formatCount(users.length)}):*`;
    if (kind === 'failed') {
      blocks.push(section(`${title}\n${fitLines(users.map(failureLine), 2400).text}`));
    } else {
      const budget = kind === 'added' || kind === 'removed' ? 2600 : 1500;
      blocks.push(
        section(
          `${title} ${
            fitItems(
              users.map((o) => personLabel(o.user)),
              budget,
            ).text
          }`,
        ),
      );
    }
  }
  return blocks;
}

export function failureLine(outcome: PersonOutcome): string {
  const why = outcome.reason?.trim()
    ? escapeMrkdwn(truncateText(outcome.reason.trim(), 160))
    : 'no reason given';
  return `• ${personLabel(outcome.user)}: ${why}`;
}

/** "Synced Design: added 4 people, removed 2 people (1 failed)". */
function syncHeadline(outcomes: readonly PersonOutcome[], group: string): string {
  const added = outcomes.filter((o) => o.outcome === 'added').length;
  const removed = outcomes.filter((o) => o.outcome === 'removed').length;
  const failed = outcomes.filter((o) => o.outcome === 'failed').length;
  if (added + removed === 0) return `Could not sync ${group}`;
  const tail = failed > 0 ? ` (${formatCount(failed)} failed)` : '';
  return `Synced ${group}: added ${people(added)}, removed ${people(removed)}${tail}`;
}

export type OutcomeCounts = { changed: number; unchanged: number; failed: number };

export function countOutcomes(outcomes: readonly PersonOutcome[]): OutcomeCounts {
  const counts: OutcomeCounts = { changed: 0, unchanged: 0, failed: 0 };
  for (const o of outcomes) {
    if (o.outcome === 'added' || o.outcome === 'removed') counts.changed += 1;
    else if (o.outcome === 'failed') counts.failed += 1;
    else counts.unchanged += 1;
  }
  return counts;
}

/**
 * "Added 5 people to Design", "Added 5 of 7 people to Design", "Could not remove anyone from Design".
 * Plain text for headers; `{ mrkdwn: true }` for fallback text and sections (the group's name escaped).
 */
export function headline(
  { change, report }: Pick<ResultProps, 'change' | 'report'>,
  options: { mrkdwn?: boolean } = {},
): string {
  const { changed, failed } = countOutcomes(report.outcomes);
  const group = options.mrkdwn ? fallbackGroupName(change.group) : plainGroupName(change.group);
  const add = change.action === 'add';
  if (changed === 0 && failed === 0) return `Nothing changed in ${group}`;
  if (change.action === 'sync') return syncHeadline(report.outcomes, group);
  if (changed === 0) return `Could not ${add ? 'add anyone to' : 'remove anyone from'} ${group}`;
  const verb = add ? 'Added' : 'Removed';
  const tried = failed > 0 ? `${formatCount(changed)} of ${people(changed + failed)}` : people(changed);
  return `${verb} ${tried} ${add ? 'to' : 'from'} ${group}`;
}
