import { describe, expect, it } from 'vitest';
import { mentionsInMessage } from '../../../../src/slack/grammar/message-mentions.js';
import { parseGroupsCommand } from '../../../../src/slack/grammar/parse-groups-command.js';

describe('/groups owners', () => {
  it('shows a group, with or without quotes', () => {
    expect(parseGroupsCommand('owners Design')).toEqual({
      ok: true,
      command: { kind: 'owners', group: { kind: 'name', name: 'Design' } },
    });
    expect(parseGroupsCommand('owners Design Team')).toMatchObject({
      command: { group: { kind: 'name', name: 'Design Team' } },
    });
  });

  it('adds and removes Slack users and user groups; the group is everything before add/remove', () => {
    expect(parseGroupsCommand('owners Design Team add <@U1|ann> <!subteam^S2|@leads> <@U1>')).toEqual({
      ok: true,
      command: {
        kind: 'owners',
        group: { kind: 'name', name: 'Design Team' },
        change: {
          action: 'add',
          owners: [
            { kind: 'slack_user', userId: 'U1', label: 'ann' },
            { kind: 'slack_usergroup', usergroupId: 'S2', label: '@leads' },
          ],
        },
      },
    });
    expect(parseGroupsCommand('owners id:7 REMOVE <@U1>')).toMatchObject({
      command: { group: { kind: 'id', id: '7' }, change: { action: 'remove' } },
    });
  });

  it('refuses emails, ids and channels as owners, a missing group and missing people, with the right form', () => {
    for (const text of [
      'owners Design add ann@example.com',
      'owners Design add id:4',
      'owners Design add <#C1|x>',
    ]) {
      const parsed = parseGroupsCommand(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.message).toContain('cannot be an owner');
        expect(parsed.error.usage).toContain('/groups owners');
      }
    }
    expect(parseGroupsCommand('owners')).toMatchObject({ ok: false, error: { code: 'missing_argument' } });
    expect(parseGroupsCommand('owners Design add')).toMatchObject({
      ok: false,
      error: { code: 'missing_argument' },
    });
  });
});

describe('mentionsInMessage', () => {
  it('finds users, user groups and emails in text and rich-text blocks, each once, without the author', () => {
    const found = mentionsInMessage(
      {
        text: 'cc <@UAUTHOR> <@U1|ann>, <!subteam^S1|@team> <mailto:Zoe@Example.com|Zoe@Example.com>; bo@example.com.',
        blocks: [
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [
                  { type: 'user', user_id: 'U2' },
                  { type: 'user', user_id: 'U1' },
                  { type: 'usergroup', usergroup_id: 'S1' },
                  { type: 'link', url: 'mailto:cy@example.com?subject=hi' },
                  { type: 'link', url: 'https://example.com' },
                ],
              },
            ],
          },
        ],
      },
      'UAUTHOR',
    );
    expect(found).toEqual({
      userIds: ['U1', 'U2'],
      usergroupIds: ['S1'],
      emails: ['zoe@example.com', 'bo@example.com', 'cy@example.com'],
    });
  });

  it('finds nobody in a message without mentions, and survives anything', () => {
    expect(mentionsInMessage({ text: 'see you at 10:00 <https://x.example|link>' })).toEqual({
      userIds: [],
      usergroupIds: [],
      emails: [],
    });
    expect(mentionsInMessage(null)).toEqual({ userIds: [], usergroupIds: [], emails: [] });
    expect(mentionsInMessage({ text: 42, blocks: 'x' })).toEqual({
      userIds: [],
      usergroupIds: [],
      emails: [],
    });
  });
});
