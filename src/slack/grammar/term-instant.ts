import type { MembershipTerm } from '../../approvals/expiry/types.js';
import { endOfDayIn } from '../text/time-zone.js';
import type { TermToken } from './parse-term.js';

/** The core's term for what was typed: `--until <date>` becomes the end of that day in the caller's zone. */
export function termOf(token: TermToken, tz: string | undefined): MembershipTerm {
  if (token.kind === 'for') return { kind: 'for', ms: token.ms };
  return { kind: 'until', at: endOfDayIn(token.date, tz).toISOString() };
}
