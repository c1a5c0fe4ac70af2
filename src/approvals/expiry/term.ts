import { AppError } from '../../membership/errors.js';
import type { MembershipTerm } from './types.js';

/** The shortest `--for` (SPEC §4.6). */
export const MIN_MEMBERSHIP_MS = 60_000;

/**
 * Refuses a term the spec does not allow: shorter than a minute, longer than MAX_MEMBERSHIP_DURATION, an
 * end in the past. The grammar says most of this first with the words the person typed; this is the
 * core's own guard, so that no transport (the modal, a forged button) can store such a term.
 */
export function checkTerm(term: MembershipTerm, now: Date, maxMs: number): void {
  if (term.kind === 'until') {
    const at = Date.parse(term.at);
    if (Number.isNaN(at)) throw invalid('The end date is not a date', { reason: 'bad_date' });
    if (at <= now.getTime()) throw invalid('The end date is in the past', { reason: 'past_date' });
    if (at - now.getTime() > maxMs + 86_400_000) {
      // One day of slack: "until <date>" is the end of a day, and a day's end may be a few hours past max.
      throw invalid('The end date is too far away', { reason: 'too_long', maxMs });
    }
    return;
  }
  if (!Number.isSafeInteger(term.ms) || term.ms < MIN_MEMBERSHIP_MS) {
    throw invalid('The duration is too short', { reason: 'too_short' });
  }
  if (term.ms > maxMs) throw invalid('The duration is too long', { reason: 'too_long', maxMs });
}

/**
 * When a membership of this term ends, once applied at `appliedAt`. An extension moves the current end on
 * (an end already past, or none, counts from now: the person is added back for that long).
 */
export function endOf(term: MembershipTerm, appliedAt: Date, currentEnd?: string): string {
  if (term.kind === 'until') return new Date(term.at).toISOString();
  if (term.kind === 'for') return new Date(appliedAt.getTime() + term.ms).toISOString();
  const from = Math.max(appliedAt.getTime(), currentEnd ? Date.parse(currentEnd) : 0);
  return new Date(from + term.ms).toISOString();
}

function invalid(message: string, detail: Record<string, unknown>): AppError {
  return new AppError('invalid_input', message, { field: 'term', ...detail });
}
