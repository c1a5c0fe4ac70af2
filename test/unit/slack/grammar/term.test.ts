import { describe, expect, it } from 'vitest';
import { parseGroupsCommand } from '../../../../src/slack/grammar/parse-groups-command.js';
import { endOfDayIn } from '../../../../src/slack/text/time-zone.js';

const DAY = 86_400_000;

function messageOf(text: string): string {
  const parsed = parseGroupsCommand(text);
  if (parsed.ok) throw new Error(`${text} parsed: ${JSON.stringify(parsed.command)}`);
  return parsed.error.message;
}

describe('--for and --until (SPEC §4.6)', () => {
  it('reads --for in the configuration’s duration grammar, before or after the people, and --until as a date', () => {
    for (const [text, ms] of [
      ['add Design ann@example.com --for 90m', 90 * 60_000],
      ['add Design --for 12h ann@example.com', 12 * 3_600_000],
      ['add Design ann@example.com --for 7d --reason Project', 7 * DAY],
      ['add Design ann@example.com --for=1h30m', 90 * 60_000],
      ['add Design ann@example.com —for 1m', 60_000],
    ] as const) {
      const parsed = parseGroupsCommand(text);
      expect(parsed.ok && parsed.command.kind === 'add' && parsed.command.term).toEqual({ kind: 'for', ms });
    }
    const until = parseGroupsCommand('add "Design Team" <@U123> --until 2026-12-31 --reason x');
    expect(until.ok && until.command.kind === 'add' && until.command).toMatchObject({
      term: { kind: 'until', date: '2026-12-31' },
      people: [{ kind: 'slack_user', userId: 'U123' }],
      reason: 'x',
    });
    const plain = parseGroupsCommand('add Design ann@example.com');
    expect(plain.ok && plain.command.kind === 'add' && plain.command.term).toBeUndefined();
  });

  it('every bad input gets its own clear message', () => {
    expect(messageOf('remove Design ann@example.com --for 7d')).toContain('only go with `add`');
    expect(messageOf('remove Design ann@example.com --until 2026-12-31')).toContain('only go with `add`');
    expect(messageOf('add Design ann@example.com --for 7d --until 2026-12-31')).toContain('not both');
    expect(messageOf('add Design ann@example.com --for 7d --for 8d')).toContain('given twice');
    expect(messageOf('add Design ann@example.com --for 0d')).toContain('zero');
    expect(messageOf('add Design ann@example.com --for 0h0m')).toContain('zero');
    expect(messageOf('add Design ann@example.com --for -7d')).toContain('cannot be negative');
    expect(messageOf('add Design ann@example.com --for soon')).toContain('is not a duration');
    expect(messageOf('add Design ann@example.com --for 7')).toContain('is not a duration');
    expect(messageOf('add Design ann@example.com --for 30s')).toContain('too short');
    expect(messageOf('add Design ann@example.com --for 366d')).toContain('too long; the longest is `365d`');
    expect(messageOf('add Design ann@example.com --for')).toContain('needs a duration');
    expect(messageOf('add Design ann@example.com --until')).toContain('needs a date');
    expect(messageOf('add Design ann@example.com --until 2026-02-30')).toContain('is not a date');
    expect(messageOf('add Design ann@example.com --until 31/12/2026')).toContain('is not a date');
  });

  it('MAX_MEMBERSHIP_DURATION bounds --for', () => {
    const parsed = parseGroupsCommand('add Design ann@example.com --for 31d', { maxMembershipMs: 30 * DAY });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.message).toContain('the longest is `30d`');
  });

  it('--until ends at the last minute of that day in the caller’s zone (daylight saving included)', () => {
    expect(endOfDayIn('2026-12-31', 'America/Los_Angeles').toISOString()).toBe('2027-01-01T07:59:00.000Z');
    expect(endOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-29T21:59:00.000Z');
    expect(endOfDayIn('2026-12-31', 'Asia/Kolkata').toISOString()).toBe('2026-12-31T18:29:00.000Z');
    expect(endOfDayIn('2026-12-31', undefined).toISOString()).toBe('2026-12-31T23:59:00.000Z');
    expect(endOfDayIn('2026-12-31', 'Not/AZone').toISOString()).toBe('2026-12-31T23:59:00.000Z');
  });
});
