import { describe, expect, it } from 'vitest';
import { parseGroupsCommand } from '../../../../src/slack/grammar/parse-groups-command.js';

describe('sync <group> from <source>', () => {
  it.each([
    [
      'sync Design from <!subteam^S1|@design-team>',
      {
        kind: 'sync',
        group: { kind: 'name', name: 'Design' },
        source: { kind: 'slack_usergroup', usergroupId: 'S1', label: '@design-team' },
        addOnly: false,
        keep: false,
      },
    ],
    [
      'SYNC "Design Team" FROM <#C9|proj> --add-only --reason Match the project',
      {
        kind: 'sync',
        group: { kind: 'name', name: 'Design Team' },
        source: { kind: 'channel', channelId: 'C9', label: 'proj' },
        addOnly: true,
        keep: false,
        reason: 'Match the project',
      },
    ],
    [
      'sync id:7 —add-only from <!subteam^S2>',
      {
        kind: 'sync',
        group: { kind: 'id', id: '7' },
        source: { kind: 'slack_usergroup', usergroupId: 'S2' },
        addOnly: true,
        keep: false,
      },
    ],
  ])('%j', (text, command) => {
    expect(parseGroupsCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['sync', 'Which group, and from where?'],
    ['sync Design', 'write `from`'],
    ['sync Design <!subteam^S1>', 'write `from`'],
    ['sync Design from', 'Sync from where?'],
    ['sync Design from <@U1>', 'is not a Slack user group'],
    ['sync Design from ann@example.com', 'is not a Slack user group'],
    ['sync Design from <!subteam^S1> <#C1|x>', 'one too many'],
    ['sync Design from <!subteam^S1> --force', 'is not an option of `sync`'],
    ['sync Design from <!subteam^S1> --reason', '`--reason` needs some text'],
    ['sync <@U1> from <!subteam^S1>', 'the group comes first'],
  ])('%j is refused, saying what is wrong', (text, message) => {
    const parsed = parseGroupsCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.message).toContain(message);
      expect(parsed.error.usage).toContain('/groups sync');
    }
  });
});
