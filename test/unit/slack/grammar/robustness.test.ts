import { describe, expect, it } from 'vitest';
import {
  type GroupsCommand,
  type ParseResult,
  type PersonToken,
  parseGroupsCommand,
} from '../../../../src/slack/grammar/parse-groups-command.js';

const CODES = [
  'unknown_subcommand',
  'missing_argument',
  'unbalanced_quotes',
  'too_long',
  'invalid_argument',
  'too_many_people',
];

// Seeded, so a failure names an input that can be replayed.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'add',
  'remove',
  'members',
  'list',
  'link',
  'unlink',
  'history',
  'help',
  'whoami',
  'requests',
  ' ',
  ' ',
  ' ',
  '\n',
  ',',
  ';',
  '\t',
  '\u00a0',
  '\u200b',
  '"',
  '“',
  '”',
  "'",
  '‘',
  '’',
  '<',
  '>',
  '|',
  '^',
  '@',
  '!',
  '#',
  '&',
  '&amp;',
  '&lt;',
  '&gt;',
  '<@U1>',
  '<@W2|bob>',
  '<!subteam^S1|@t>',
  '<#C1|gen>',
  '<mailto:a@b.co|a@b.co>',
  '<!channel>',
  'id:',
  'id:12',
  '12',
  'a@b.co',
  'Design',
  'x',
  '--reason',
  '—reason',
  '--reason=',
  '\ud83d',
  '\ude00',
  '😀',
  '\u0000',
  'é',
];

function randomText(random: () => number): string {
  const length = Math.floor(random() * 30);
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text +=
      random() < 0.85
        ? (PIECES[Math.floor(random() * PIECES.length)] ?? '')
        : String.fromCharCode(Math.floor(random() * 0x10000));
  }
  return text;
}

function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expect(typeof result.command.kind).toBe('string');
    if (result.command.kind === 'add' || result.command.kind === 'remove') {
      expect(result.command.people.length).toBeGreaterThan(0);
      if (result.command.reason !== undefined) expect(result.command.reason.trim()).not.toBe('');
    }
    return;
  }
  expect(CODES).toContain(result.error.code);
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.usage.length).toBeGreaterThan(0);
  // Our messages are mrkdwn: any user text in them is escaped, so no raw control sequence survives.
  expect(result.error.message).not.toMatch(/<[!@#]/);
}

describe('parseGroupsCommand never throws', () => {
  it('on 3,000 random strings', () => {
    const random = mulberry32(20261101);
    for (let i = 0; i < 3000; i += 1) {
      const text = randomText(random);
      let result: ParseResult | undefined;
      expect(() => {
        result = parseGroupsCommand(text);
      }, JSON.stringify(text)).not.toThrow();
      if (result) expectWellFormed(result);
    }
  });

  it('on non-string input arriving at run time', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      expect(parseGroupsCommand(value as unknown as string)).toEqual({
        ok: true,
        command: { kind: 'open_modal' },
      });
    }
  });

  // These shapes make naive regexes or rescanning tokenizers quadratic or worse; the test timeout is the guard.
  it.each([
    ['a run of <', `add D ${'<'.repeat(19_990)}`],
    ['< then text, no >', `add D ${'<@U1 '.repeat(3_990)}`],
    ['open quotes', `members ${'"'.repeat(19_990)}`],
    ['single quotes with apostrophes', `members '${"a'b".repeat(6_600)}`],
    ['a long email-like word', `add D a@${'b.'.repeat(9_990)}`],
    ['a long id', `add D id:${'9'.repeat(19_990)}`],
    ['many separators', `add D ${',;\n '.repeat(4_990)}<@U1>`],
    ['a long unknown word', 'x'.repeat(20_000)],
    ['mentions without separators', `add D ${'<@U1|a>'.repeat(2_850)}`],
    ['entities', `members ${'&amp;'.repeat(3_990)}`],
  ])('on adversarial input: %s', (_name, text) => {
    expect(text.length).toBeLessThanOrEqual(20_000);
    expectWellFormed(parseGroupsCommand(text));
  });
});

describe('parseGroupsCommand reads back what a generator wrote', () => {
  const separators = [' ', ', ', ',', '\n', ' ,\n ', ';'];

  function randomPerson(random: () => number): [string, PersonToken] {
    const n = Math.floor(random() * 50);
    switch (Math.floor(random() * 5)) {
      case 0:
        return [`<@U${n}>`, { kind: 'slack_user', userId: `U${n}` }];
      case 1:
        return [`<@W${n}|user${n}>`, { kind: 'slack_user', userId: `W${n}`, label: `user${n}` }];
      case 2:
        return [`<!subteam^S${n}>`, { kind: 'slack_usergroup', usergroupId: `S${n}` }];
      case 3:
        return random() < 0.5
          ? [`P${n}@Example.com`, { kind: 'email', email: `p${n}@example.com` }]
          : [`<mailto:p${n}@example.com|p${n}@example.com>`, { kind: 'email', email: `p${n}@example.com` }];
      default:
        return [`id:${n}`, { kind: 'kantata_id', id: String(n) }];
    }
  }

  it('for 500 random add/remove commands', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 500; round += 1) {
      const kind = random() < 0.5 ? 'add' : 'remove';
      const people = Array.from({ length: 1 + Math.floor(random() * 12) }, () => randomPerson(random));
      const written = people.map(([text]) => text);
      const text = written.reduce(
        (line, person) => line + (separators[Math.floor(random() * separators.length)] ?? ' ') + person,
        `${kind} "Team ${round}"`,
      );
      const expected: PersonToken[] = [];
      const seen = new Set<string>();
      for (const [, person] of people) {
        const key = JSON.stringify({ ...person, label: undefined });
        if (!seen.has(key)) {
          seen.add(key);
          expected.push(person);
        }
      }
      const command: GroupsCommand = {
        kind,
        group: { kind: 'name', name: `Team ${round}` },
        people: expected,
      };
      expect(parseGroupsCommand(text), text).toEqual({ ok: true, command });
    }
  });
});
