import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../../src/membership/errors.js';
import { SLACK_ERROR_CODES, SlackPeopleError } from '../../../../src/slack/people/slack-people-error.js';
import {
  ALL_ERROR_CODES,
  ERROR_SENTENCES,
  messageForError,
} from '../../../../src/slack/text/error-messages.js';

const REF = 'ref-42';

describe('messageForError', () => {
  it.each(ERROR_CODES.map((code) => [code]))('has a plain sentence for %s', (code: ErrorCode) => {
    expect(ERROR_SENTENCES[code]).toBeTypeOf('function');
    const bare = messageForError(new AppError(code, ''), REF);
    expect(bare.length).toBeGreaterThan(20);
    expect(bare).toMatch(/[.!?]$/);
    expect(bare).not.toContain('undefined');
    expect(bare).not.toContain('[object');
    expect(bare).not.toContain('Something went wrong on our side');
  });

  it.each(SLACK_ERROR_CODES.map((code) => [code]))('has a plain sentence for the Slack code %s', (code) => {
    const sentence = messageForError(new SlackPeopleError(code, 'internal detail'), REF);
    expect(sentence.length).toBeGreaterThan(20);
    expect(sentence).not.toContain('Something went wrong on our side');
    expect(sentence).not.toContain('internal detail');
  });

  it('the table is closed: every code has a sentence, and every sentence a code', () => {
    // Fails when a code is added to ERROR_CODES or SLACK_ERROR_CODES without a sentence (and the reverse).
    expect(Object.keys(ERROR_SENTENCES).sort()).toEqual([...ALL_ERROR_CODES].sort());
    expect(new Set(ALL_ERROR_CODES).size).toBe(ALL_ERROR_CODES.length);
  });

  it('says what Kantata holds when storage failed in the middle of an apply', () => {
    const msg = messageForError(new AppError('store_unavailable', 'down', { done: 200, total: 300 }), REF);
    expect(msg).toContain('200 of the 300');
    expect(messageForError(new AppError('store_unavailable', 'down'), REF)).toMatch(
      /^Storage is unavailable/,
    );
  });

  it('tells unknown errors apart with the reference', () => {
    const expected =
      'Something went wrong on our side (reference ref-42). Please try again; if it keeps happening, give this ' +
      'reference to your Slack admin.';
    expect(messageForError(new Error('boom at /srv/app.js:12'), REF)).toBe(expected);
    expect(messageForError('a string', REF)).toBe(expected);
    expect(messageForError(undefined, REF)).toBe(expected);
    expect(messageForError(null, REF)).toBe(expected);
    expect(messageForError({ code: 'ECONNRESET' }, REF)).toBe(expected);
  });

  it('includes Kantata’s own message, escaped', () => {
    const msg = messageForError(
      new AppError('kantata_validation', 'User <!channel> is invalid & disabled'),
      REF,
    );
    expect(msg).toContain('Kantata said: “User &lt;!channel&gt; is invalid &amp; disabled”');
    expect(msg).not.toContain('<!channel>');
  });

  it('prefers an explicit kantataMessage detail', () => {
    const msg = messageForError(
      new AppError('kantata_forbidden', 'HTTP 403', { kantataMessage: 'You lack permission' }),
      REF,
    );
    expect(msg).toContain('You lack permission');
    expect(msg).not.toContain('HTTP 403');
  });

  it('names the group and suggests close names', () => {
    const msg = messageForError(
      new AppError('group_not_found', 'no group', {
        groupName: 'Desing',
        suggestions: ['Design', 'Design Ops'],
      }),
      REF,
    );
    expect(msg).toContain('There is no Kantata group called “Desing”.');
    expect(msg).toContain('Did you mean “Design” or “Design Ops”?');
  });

  it('escapes a hostile group name', () => {
    const msg = messageForError(new AppError('group_not_found', '', { groupName: '<!here> @everyone' }), REF);
    expect(msg).not.toMatch(/<!here>|@everyone/);
  });

  it('says the limit for too many people', () => {
    const msg = messageForError(new AppError('too_many_people', '', { max: 1000, count: 1500 }), REF);
    expect(msg).toContain('at most 1,000 people; this one names 1,500');
  });

  it('says who decided and when', () => {
    const msg = messageForError(
      new AppError('change_already_decided', '', {
        status: 'applied',
        decidedBy: { slackUserId: 'U0ADMIN', name: 'Ada' },
        decidedAt: '2026-01-02T03:04:05Z',
      }),
      REF,
    );
    expect(msg).toContain('already applied by <@U0ADMIN> at <!date^1767323045^');
    expect(msg).toContain('|2026-01-02 03:04 UTC>');
  });

  it('copes with odd detail values without printing junk', () => {
    const msg = messageForError(
      new AppError('change_already_decided', '', { decidedBy: 42, decidedAt: 'not a date', status: {} }),
      REF,
    );
    expect(msg).toBe('This change was already handled. There is nothing more to do.');
  });

  it('explains why someone is not linked', () => {
    const msg = messageForError(new AppError('not_linked', '', { reason: 'several_matches' }), REF);
    expect(msg).toContain('several Kantata users have the email address');
  });

  it('accepts an error-like object carrying a known code', () => {
    const msg = messageForError({ code: 'self_approval_forbidden', message: 'x', detail: null }, REF);
    expect(msg).toBe(
      'You cannot approve your own request. Another Kantata administrator (or another owner of the group) has to approve it.',
    );
  });

  it('puts the reference in faults the admin may need to trace', () => {
    for (const code of ['kantata_unauthorized', 'kantata_bad_response', 'store_unavailable'] as const) {
      expect(messageForError(new AppError(code, ''), REF)).toContain('reference ref-42');
    }
  });
});
