import type { MembershipTerm } from '../../approvals/expiry/types.js';
import type { Change } from '../../approvals/types.js';
import { formatDuration } from '../../config/duration.js';
import type { KantataUser } from '../../membership/types.js';
import { slackDate } from '../text/slack-date.js';
import { type Block, section } from './blocks.js';
import { fitItems, fitLines, personLabel } from './name-list.js';

/** An instant as every reader sees it in their own zone ("until Tue 31 Dec 2026, 17:00 your time"). */
export function whenText(iso: string): string {
  return slackDate(iso) ?? iso;
}

/**
 * How long an add lasts, said once for previews, cards, notifications and history. `from` is when it counts
 * from for a `for` term that is not applied yet (the preview's own time, as an estimate).
 */
export function termPhrase(term: MembershipTerm, from?: string): string {
  if (term.kind === 'until') return `until ${whenText(term.at)}`;
  if (term.kind === 'extend') return `extended by ${formatDuration(term.ms)}`;
  const estimate = from ? ` (about ${whenText(new Date(Date.parse(from) + term.ms).toISOString())})` : '';
  return `for ${formatDuration(term.ms)} from when it is applied${estimate}`;
}

type TermChange = Pick<Change, 'action' | 'plan'> &
  Partial<Pick<Change, 'term' | 'currentEnds' | 'createdAt'>>;

/**
 * What a preview says about ends (SPEC §4.6): when access ends, who stays permanent, whose end moves from …
 * to …, and who becomes permanent by a permanent add.
 */
export function termSections(change: TermChange): Block[] {
  const blocks: Block[] = [];
  const ends = change.currentEnds ?? {};
  const temporary = (u: KantataUser) => ends[u.id] !== undefined;
  if (change.action !== 'add') {
    const ending = change.plan.toChange.filter(temporary);
    if (ending.length > 0) {
      blocks.push(section(`*Temporary members among them:* their end is dropped. ${names(ending)}`));
    }
    return blocks;
  }
  const term = change.term;
  if (!term) {
    const becoming = change.plan.unchanged.filter(temporary);
    if (becoming.length > 0) {
      blocks.push(
        section(`*Become permanent* (their end is dropped) (${becoming.length}): ${names(becoming)}`),
      );
    }
    return blocks;
  }
  if (term.kind !== 'extend')
    blocks.push(section(`:hourglass_flowing_sand: *Access ends* ${termPhrase(term, change.createdAt)}.`));
  const permanent = change.plan.unchanged.filter((u) => !temporary(u));
  if (permanent.length > 0) {
    blocks.push(
      section(`*Stay permanent* (already permanent members) (${permanent.length}): ${names(permanent)}`),
    );
  }
  const moving = [...change.plan.toChange, ...change.plan.unchanged].filter(temporary);
  if (moving.length > 0) {
    const lines = moving.map((u) => {
      const from = ends[u.id]!;
      const to = newEnd(term, from, change.createdAt ?? from);
      return `${personLabel(u)}: end moves from ${whenText(from)} to ${to}`;
    });
    blocks.push(section(`*End moves* (${moving.length}):\n${fitLines(lines, 2400).text}`));
  }
  return blocks;
}

function newEnd(term: MembershipTerm, from: string, previewAt: string): string {
  if (term.kind === 'until') return whenText(term.at);
  if (term.kind === 'for')
    return `about ${whenText(new Date(Date.parse(previewAt) + term.ms).toISOString())}`;
  return whenText(new Date(Math.max(Date.parse(from), Date.parse(previewAt)) + term.ms).toISOString());
}

function names(users: readonly KantataUser[]): string {
  return fitItems(users.map(personLabel), 1500).text;
}

/** The end of an applied add, for its notification and result: "⏳ Access ends Tue 31 Dec 2026 at 17:00". */
export function appliedTermLine(change: Pick<Change, 'action' | 'term' | 'appliedAt'>): string | undefined {
  const term = change.term;
  if (change.action !== 'add' || !term) return undefined;
  if (term.kind === 'extend') return `:hourglass_flowing_sand: Ends moved on by ${formatDuration(term.ms)}.`;
  const end =
    term.kind === 'until'
      ? term.at
      : change.appliedAt
        ? new Date(Date.parse(change.appliedAt) + term.ms).toISOString()
        : undefined;
  return end
    ? `:hourglass_flowing_sand: Temporary: access ends ${whenText(end)} (permanent members stay permanent).`
    : `:hourglass_flowing_sand: Temporary: ${termPhrase(term)}.`;
}
