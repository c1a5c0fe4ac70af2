import { describe, expect, it } from 'vitest';
import { isEmailAddress } from '../../../../src/slack/grammar/email.js';
import { classifyPerson, dedupePeople, parseKantataId } from '../../../../src/slack/grammar/people.js';
import type { Token } from '../../../../src/slack/grammar/tokenize.js';
import type { PersonToken } from '../../../../src/slack/grammar/types.js';

function token(raw: string): Token {
  const kind = raw.startsWith('<') ? 'angle' : raw.startsWith('"') ? 'quoted' : 'word';
  const inner = kind === 'quoted' ? raw.slice(1, -1) : raw;
  return { kind, raw: inner, start: 0, end: raw.length };
}

describe('classifyPerson', () => {
  it.each<[string, PersonToken]>([
    ['<@U0123ABC>', { kind: 'slack_user', userId: 'U0123ABC' }],
    ['<@U1|ann.smith>', { kind: 'slack_user', userId: 'U1', label: 'ann.smith' }],
    ['<@W1|x &amp; y>', { kind: 'slack_user', userId: 'W1', label: 'x & y' }],
    ['<@u1>', { kind: 'invalid', text: '<@u1>' }],
    ['<@B1>', { kind: 'invalid', text: '<@B1>' }],
    ['<!subteam^S9|@ops>', { kind: 'slack_usergroup', usergroupId: 'S9', label: '@ops' }],
    ['<!subteam^X9>', { kind: 'invalid', text: '<!subteam^X9>' }],
    ['<#C1|general>', { kind: 'channel', channelId: 'C1', label: 'general' }],
    ['<#G1>', { kind: 'channel', channelId: 'G1' }],
    ['<mailto:A@B.co|A@B.co>', { kind: 'email', email: 'a@b.co' }],
    ['<mailto:a@b.co?subject=hi|a@b.co>', { kind: 'email', email: 'a@b.co' }],
    ['<mailto:not-an-email|x>', { kind: 'invalid', text: '<mailto:not-an-email|x>' }],
    ['<!here>', { kind: 'invalid', text: '<!here>' }],
    ['First.Last+tag@Sub.Example.org', { kind: 'email', email: 'first.last+tag@sub.example.org' }],
    ['"ann@x.io"', { kind: 'email', email: 'ann@x.io' }],
    ['"Ann Smith"', { kind: 'invalid', text: '"Ann Smith"' }],
    ['id:0', { kind: 'kantata_id', id: '0' }],
    ['ID:000123', { kind: 'kantata_id', id: '123' }],
    ['id:12a', { kind: 'invalid', text: 'id:12a' }],
    ['id:-1', { kind: 'invalid', text: 'id:-1' }],
    [`id:${'1'.repeat(21)}`, { kind: 'invalid', text: `id:${'1'.repeat(21)}` }],
    ['@ann', { kind: 'invalid', text: '@ann' }],
    ['&lt;b&gt;', { kind: 'invalid', text: '<b>' }],
  ])('%j', (raw, person) => {
    expect(classifyPerson(token(raw))).toEqual(person);
  });
});

describe('parseKantataId', () => {
  it('takes digits only', () => {
    expect(parseKantataId('id:42')).toBe('42');
    expect(parseKantataId('id:')).toBeUndefined();
    expect(parseKantataId('id: 42')).toBeUndefined();
    expect(parseKantataId('id:４２')).toBeUndefined();
  });
});

describe('dedupePeople', () => {
  it('keeps the first of each person, labels aside', () => {
    const people: PersonToken[] = [
      { kind: 'slack_user', userId: 'U1', label: 'ann' },
      { kind: 'slack_user', userId: 'U1' },
      { kind: 'email', email: 'a@b.co' },
      { kind: 'kantata_id', id: '1' },
      { kind: 'email', email: 'a@b.co' },
      { kind: 'invalid', text: 'x' },
      { kind: 'invalid', text: 'x' },
      { kind: 'slack_usergroup', usergroupId: 'U1' },
    ];
    expect(dedupePeople(people)).toEqual([
      { kind: 'slack_user', userId: 'U1', label: 'ann' },
      { kind: 'email', email: 'a@b.co' },
      { kind: 'kantata_id', id: '1' },
      { kind: 'invalid', text: 'x' },
      { kind: 'slack_usergroup', usergroupId: 'U1' },
    ]);
  });
});

describe('isEmailAddress', () => {
  it.each([
    ['ann@example.com', true],
    ["o'brien@example.ie", true],
    ['a@b.co', true],
    ['ann@münchen.de', true],
    ['ann@example', false],
    ['@example.com', false],
    ['ann@', false],
    ['ann@@example.com', false],
    ['ann@example..com', false],
    ['ann@-x.com', false],
    ['ann@x.c', false],
    ['.ann@x.com', false],
    ['a..b@x.com', false],
    ['ann smith@x.com', false],
    ['<ann@x.com>', false],
    [`${'a'.repeat(65)}@x.com`, false],
    [`a@${'b'.repeat(250)}.com`, false],
  ])('%j → %s', (text, valid) => {
    expect(isEmailAddress(text)).toBe(valid);
  });
});
