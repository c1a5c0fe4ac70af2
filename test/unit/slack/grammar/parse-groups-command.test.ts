import { describe, expect, it } from 'vitest';
import {
  type GroupsCommand,
  type ParseErrorCode,
  parseGroupsCommand,
  usageFor,
} from '../../../../src/slack/grammar/parse-groups-command.js';
import { escapeMrkdwn } from '../../../../src/slack/text/escape-mrkdwn.js';

const design = { kind: 'name', name: 'Design' } as const;
const designTeam = { kind: 'name', name: 'Design Team' } as const;
const u1 = { kind: 'slack_user', userId: 'U1' } as const;
const u2 = { kind: 'slack_user', userId: 'U2' } as const;

// Input as Slack sends it with `should_escape: true` → the command.
const parsed: Array<[string, GroupsCommand]> = [
  ['', { kind: 'open_modal' }],
  ['   \n\t ', { kind: 'open_modal' }],
  ['help', { kind: 'help' }],
  ['HELP me please', { kind: 'help' }],
  ['?', { kind: 'help' }],
  ['list', { kind: 'list' }],
  ['List design  ops', { kind: 'list', search: 'design ops' }],
  ['list "R&amp;D team"', { kind: 'list', search: 'R&D team' }],
  ['members Design', { kind: 'members', group: design }],
  ['members "Design Team"', { kind: 'members', group: designTeam }],
  ['members “Design Team”', { kind: 'members', group: designTeam }],
  ['members ‘Design Team’', { kind: 'members', group: designTeam }],
  ["members 'Design Team'", { kind: 'members', group: designTeam }],
  ["members 'Bob's Team'", { kind: 'members', group: { kind: 'name', name: "Bob's Team" } }],
  ['members Design Team', { kind: 'members', group: designTeam }],
  ['members Foo, Inc', { kind: 'members', group: { kind: 'name', name: 'Foo, Inc' } }],
  ['members R&amp;D', { kind: 'members', group: { kind: 'name', name: 'R&D' } }],
  ['members id:42', { kind: 'members', group: { kind: 'id', id: '42' } }],
  ['members ID:0042', { kind: 'members', group: { kind: 'id', id: '42' } }],
  ['members "id:42"', { kind: 'members', group: { kind: 'name', name: 'id:42' } }],
  ['MEMBERS design', { kind: 'members', group: { kind: 'name', name: 'design' } }],
  ['add Design <@U1>', { kind: 'add', group: design, people: [u1] }],
  ['add Design <@U1|ann>', { kind: 'add', group: design, people: [{ ...u1, label: 'ann' }] }],
  [
    'add Design <@W0ABC|ann>',
    { kind: 'add', group: design, people: [{ kind: 'slack_user', userId: 'W0ABC', label: 'ann' }] },
  ],
  ['add Design <@U1|>', { kind: 'add', group: design, people: [u1] }],
  [
    'add Design <!subteam^S123|@design-leads>',
    {
      kind: 'add',
      group: design,
      people: [{ kind: 'slack_usergroup', usergroupId: 'S123', label: '@design-leads' }],
    },
  ],
  [
    'add Design <!subteam^S123>',
    { kind: 'add', group: design, people: [{ kind: 'slack_usergroup', usergroupId: 'S123' }] },
  ],
  [
    'add Design Ann@Example.COM',
    { kind: 'add', group: design, people: [{ kind: 'email', email: 'ann@example.com' }] },
  ],
  [
    'add Design <mailto:Ann@Example.com|Ann@Example.com>',
    { kind: 'add', group: design, people: [{ kind: 'email', email: 'ann@example.com' }] },
  ],
  ['add Design id:123', { kind: 'add', group: design, people: [{ kind: 'kantata_id', id: '123' }] }],
  ['ADD Design <@U1>,<@U2>', { kind: 'add', group: design, people: [u1, u2] }],
  ['add Design <@U1><@U2>', { kind: 'add', group: design, people: [u1, u2] }],
  ['add Design\n<@U1>\n<@U2>\n', { kind: 'add', group: design, people: [u1, u2] }],
  ['add Design a@x.io; b@x.io;', { kind: 'add', group: design, people: [email('a@x.io'), email('b@x.io')] }],
  [
    'add Design <@U1> <@U1|ann> A@x.io a@X.io <mailto:a@x.io|a@x.io> id:7 id:007',
    { kind: 'add', group: design, people: [u1, email('a@x.io'), { kind: 'kantata_id', id: '7' }] },
  ],
  [
    'add Design <#C123|general>',
    { kind: 'add', group: design, people: [{ kind: 'channel', channelId: 'C123', label: 'general' }] },
  ],
  [
    'add Design <@U1> bob @carol id:x <!channel> <https://x.io|x>',
    {
      kind: 'add',
      group: design,
      people: [
        u1,
        invalid('bob'),
        invalid('@carol'),
        invalid('id:x'),
        invalid('<!channel>'),
        invalid('<https://x.io|x>'),
      ],
    },
  ],
  [
    'add "Design Team" <@U1> --reason New starters',
    { kind: 'add', group: designTeam, people: [u1], reason: 'New starters' },
  ],
  ['add Design <@U1> --REASON=Because', { kind: 'add', group: design, people: [u1], reason: 'Because' }],
  ['add Design <@U1> —reason smart dash', { kind: 'add', group: design, people: [u1], reason: 'smart dash' }],
  [
    'add Design <@U1> --reason two\nlines, "quotes\' & &lt;b&gt;',
    { kind: 'add', group: design, people: [u1], reason: 'two\nlines, "quotes\' & <b>' },
  ],
  [
    'remove id:9 <@U2> --reason Left',
    { kind: 'remove', group: { kind: 'id', id: '9' }, people: [u2], reason: 'Left' },
  ],
  ['requests', { kind: 'requests' }],
  ['history', { kind: 'history' }],
  ['history "Design Team"', { kind: 'history', group: designTeam }],
  ['history id:5', { kind: 'history', group: { kind: 'id', id: '5' } }],
  ['whoami', { kind: 'whoami' }],
  ['link <@U1> Ann@Example.com', { kind: 'link', slackUserId: 'U1', target: email('ann@example.com') }],
  [
    'link <@U1|ann> <mailto:ann@x.io|ann@x.io>',
    { kind: 'link', slackUserId: 'U1', target: email('ann@x.io') },
  ],
  ['link <@W9> id:77', { kind: 'link', slackUserId: 'W9', target: { kind: 'kantata_id', id: '77' } }],
  ['unlink <@U1|ann>', { kind: 'unlink', slackUserId: 'U1' }],
  ['\u00a0members\u00a0Design\u200b', { kind: 'members', group: design }],
];

describe('parseGroupsCommand: accepted forms', () => {
  it.each(parsed)('%j', (text, command) => {
    expect(parseGroupsCommand(text)).toEqual({ ok: true, command });
  });
});

// Input → error code, which usage line, and something the message must say.
const refused: Array<[string, ParseErrorCode, Parameters<typeof usageFor>[0] | 'all', RegExp]> = [
  ['memebrs Design', 'unknown_subcommand', 'members', /`memebrs`.*Did you mean `members`\?/],
  ['ad Design <@U1>', 'unknown_subcommand', 'add', /Did you mean `add`\?/],
  ['hisotry', 'unknown_subcommand', 'history', /`history`/],
  ['mem', 'unknown_subcommand', 'members', /`members`/],
  ['xyzzy', 'unknown_subcommand', 'all', /`xyzzy`.*one of: `help`/],
  ['"Design Team"', 'unknown_subcommand', 'all', /"Design Team"/],
  ['<@U1> add', 'unknown_subcommand', 'all', /&lt;@U1&gt;/],
  ['--reason why', 'missing_argument', 'all', /add/],
  ['members', 'missing_argument', 'members', /Which group/],
  ['add', 'missing_argument', 'add', /Which group/],
  ['remove Design', 'missing_argument', 'remove', /Who should I remove/],
  ['add Design --reason x <@U1>', 'missing_argument', 'add', /after the people/],
  ['add Design <@U1> --reason', 'missing_argument', 'add', /`--reason` needs some text/],
  ['add Design <@U1> --reason \n  ', 'missing_argument', 'add', /`--reason` needs some text/],
  ['add "Design Team <@U1>', 'unbalanced_quotes', 'add', /no closing quote/],
  ['members “Design Team', 'unbalanced_quotes', 'members', /no closing quote/],
  ["members 'Design", 'unbalanced_quotes', 'members', /no closing quote/],
  ['"oops', 'unbalanced_quotes', 'all', /no closing quote/],
  ['add <@U1> Design', 'invalid_argument', 'add', /group comes first/],
  ['add id:abc <@U1>', 'invalid_argument', 'add', /not a group id/],
  ['add "" <@U1>', 'invalid_argument', 'add', /empty/],
  ['members "Design" Team', 'invalid_argument', 'members', /more than one group/],
  ['members id:1 id:2', 'invalid_argument', 'members', /more than one group/],
  ['list --reason x', 'invalid_argument', 'list', /only goes with `add`, `remove` and `sync`/],
  ['whoami now', 'invalid_argument', 'whoami', /takes nothing/],
  ['requests all', 'invalid_argument', 'requests', /takes nothing/],
  ['link', 'missing_argument', 'link', /Whom should I link/],
  ['link <@U1>', 'missing_argument', 'link', /Kantata email address or `id:NNN`/],
  ['link ann@x.io <@U1>', 'invalid_argument', 'link', /not a Slack user/],
  ['link <@U1> bob', 'invalid_argument', 'link', /not a Kantata email address or id/],
  ['link <@U1> <@U2>', 'invalid_argument', 'link', /not a Kantata email address or id/],
  ['link <!subteam^S1> a@x.io', 'invalid_argument', 'link', /not a Slack user/],
  ['link <@U1> a@x.io b@x.io', 'invalid_argument', 'link', /one Slack user to one Kantata user/],
  ['unlink', 'missing_argument', 'unlink', /Whom should I unlink/],
  ['unlink a@x.io', 'invalid_argument', 'unlink', /not a Slack user/],
  ['unlink <@U1> <@U2>', 'invalid_argument', 'unlink', /one Slack user at a time/],
];

describe('parseGroupsCommand: refused forms', () => {
  it.each(refused)('%j → %s', (text, code, usage, message) => {
    const result = parseGroupsCommand(text);
    if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.command)}`);
    expect(result.error.code).toBe(code);
    expect(result.error.message).toMatch(message);
    if (usage === 'all') {
      expect(result.error.usage).toContain(usageFor('add'));
      expect(result.error.usage).toContain(usageFor('unlink'));
    } else {
      expect(result.error.usage).toBe(usageFor(usage));
    }
  });

  it('never echoes user text that could ping or link', () => {
    for (const text of [
      '<!channel>',
      'add <!here> <@U1>',
      'whoami <!everyone>',
      'link <@U1> <!channel>',
      'add x <@U1> --reason',
    ]) {
      const result = parseGroupsCommand(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).not.toMatch(/<[!@#]/);
    }
  });
});

describe('--reason', () => {
  it('keeps mentions in the reason as text that escapeMrkdwn makes inert', () => {
    const result = parseGroupsCommand(
      'add Design <@U1> --reason ping <!channel> <!here> <@U1> <!subteam^S1> &lt;!everyone&gt;',
    );
    expect(result.ok).toBe(true);
    if (!result.ok || result.command.kind !== 'add') return;
    expect(result.command.people).toEqual([u1]);
    expect(result.command.reason).toBe('ping <!channel> <!here> <@U1> <!subteam^S1> <!everyone>');
    const echoed = escapeMrkdwn(result.command.reason ?? '');
    expect(echoed).not.toMatch(/<[!@#]/);
    expect(echoed).toContain('&lt;!channel&gt;');
  });

  it('is left out of the command when not given', () => {
    const result = parseGroupsCommand('add Design <@U1>');
    expect(result.ok && 'reason' in result.command).toBe(false);
  });

  it('takes quotes after it literally', () => {
    const result = parseGroupsCommand('remove Design <@U1> --reason it\'s "done');
    expect(result).toMatchObject({ ok: true, command: { reason: 'it\'s "done' } });
  });
});

describe('limits', () => {
  it('refuses more people than maxPeople, counting distinct people', () => {
    const people = Array.from({ length: 11 }, (_, i) => `<@U${i}>`).join(' ');
    expect(parseGroupsCommand(`add Design ${people}`, { maxPeople: 11 }).ok).toBe(true);
    expect(parseGroupsCommand(`add Design ${people} <@U0> <@U1>`, { maxPeople: 11 }).ok).toBe(true);
    const result = parseGroupsCommand(`add Design ${people}`, { maxPeople: 10 });
    expect(result).toMatchObject({ ok: false, error: { code: 'too_many_people', usage: usageFor('add') } });
    if (!result.ok)
      expect(result.error.message).toContain('names 11 people; one change can include at most 10');
  });

  it('defaults maxPeople to 1,000 and ignores nonsense limits', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id:${i + 1}`).join(',');
    expect(parseGroupsCommand(`add D ${ids(1000)}`).ok).toBe(true);
    expect(parseGroupsCommand(`add D ${ids(1001)}`)).toMatchObject({ error: { code: 'too_many_people' } });
    expect(parseGroupsCommand(`add D ${ids(1001)}`, { maxPeople: Number.NaN })).toMatchObject({
      error: { code: 'too_many_people' },
    });
    expect(parseGroupsCommand(`add D ${ids(3)}`, { maxPeople: 0 }).ok).toBe(true);
  });

  it('refuses text over 20,000 characters before parsing when few people are allowed', () => {
    const result = parseGroupsCommand(`add Design ${'<@U1> '.repeat(4000)}`, { maxPeople: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'too_long' } });
    if (!result.ok) expect(result.error.message).toContain('the limit is 20,000');
  });

  it('makes room for as many emails in Slack link form as a change may name', () => {
    const emails = Array.from(
      { length: 1000 },
      (_, i) => `<mailto:person.${i}@example.com|person.${i}@example.com>`,
    );
    const text = `add Design ${emails.join(' ')}`;
    expect(text.length).toBeGreaterThan(20_000);
    const result = parseGroupsCommand(text, { maxPeople: 1000 });
    expect(result.ok && result.command.kind === 'add' && result.command.people).toHaveLength(1000);
    expect(parseGroupsCommand(`${text} `.repeat(3), { maxPeople: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'too_long' },
    });
  });

  it('parses 10 KB of people', () => {
    const mentions = Array.from({ length: 1000 }, (_, i) => `<@U${String(i).padStart(4, '0')}>`).join(', ');
    expect(mentions.length).toBeGreaterThan(8000);
    const result = parseGroupsCommand(`add "Design Team" ${mentions} --reason bulk`);
    expect(result.ok && result.command.kind === 'add' && result.command.people.length).toBe(1000);
  });
});

function email(address: string) {
  return { kind: 'email', email: address } as const;
}

function invalid(text: string) {
  return { kind: 'invalid', text } as const;
}
