import { describe, expect, it } from 'vitest';
import type { PersonToken } from '../../../../src/slack/grammar/types.js';
import { type ProfileLookup, toTargetRules } from '../../../../src/slack/people/profile-to-person-ref.js';
import {
  type PeopleSource,
  resolvePersonTokens,
} from '../../../../src/slack/people/resolve-person-tokens.js';
import { SlackPeopleError } from '../../../../src/slack/people/slack-people-error.js';
import type { SlackProfile } from '../../../../src/slack/people/slack-profile.js';

/** An in-memory directory: what the Slack workspace holds, and what resolution asked of it. */
function memorySource(
  profiles: SlackProfile[],
  groups: Record<string, string[]> = {},
  channels: Record<string, string[]> = {},
) {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const asked: string[][] = [];
  const source: PeopleSource & { asked: string[][]; failGroups?: boolean } = {
    asked,
    async getProfiles(ids) {
      asked.push([...ids]);
      return new Map(
        ids.map((id): [string, ProfileLookup] => {
          const p = byId.get(id);
          return [id, p ? { status: 'found', profile: p } : { status: 'unknown' }];
        }),
      );
    },
    async expandUsergroup(id) {
      if (source.failGroups)
        throw new SlackPeopleError('slack_unavailable', 'down', { slackError: 'ratelimited' });
      const members = groups[id];
      if (!members) throw new SlackPeopleError('usergroup_not_found', 'none');
      return members;
    },
    async expandChannel(id) {
      const members = channels[id];
      if (!members) throw new SlackPeopleError('channel_not_visible', 'hidden');
      return members;
    },
  };
  return source;
}

const p = (id: string, name: string, extra: Partial<SlackProfile> = {}): SlackProfile => ({
  id,
  name,
  email: `${name.toLowerCase()}@example.com`,
  isBot: false,
  deleted: false,
  isGuest: false,
  ...extra,
});

const people = [
  p('U1', 'Ann'),
  p('U2', 'Bob'),
  p('U3', 'Cat', { isBot: true }),
  p('U4', 'Dan', { deleted: true }),
  p('U5', 'Eve', { isGuest: true }),
];
const rules = toTargetRules();

describe('resolvePersonTokens', () => {
  it('keeps the order people were named in, whatever kind of token named them', async () => {
    const tokens: PersonToken[] = [
      { kind: 'kantata_id', id: '42' },
      { kind: 'slack_user', userId: 'U2', label: 'bob' },
      { kind: 'email', email: 'Zed@Example.com' },
      { kind: 'channel', channelId: 'C1', label: 'general' },
      { kind: 'invalid', text: '@@@' },
    ];
    expect(await resolvePersonTokens(memorySource(people), tokens, rules)).toEqual([
      { kind: 'kantata_id', id: '42', label: 'id:42' },
      { kind: 'email', email: 'bob@example.com', label: 'Bob' },
      { kind: 'email', email: 'zed@example.com', label: 'zed@example.com' },
      { kind: 'unresolvable', label: '#general', reason: 'channel_not_visible' },
      { kind: 'unresolvable', label: '@@@', reason: 'invalid' },
    ]);
  });

  it('expands a channel into its members, listing its bot, deactivated and guest members with the reason', async () => {
    const source = memorySource(people, {}, { C9: ['U1', 'U3', 'U4', 'U5', 'U2'] });
    const refs = await resolvePersonTokens(
      source,
      [
        { kind: 'channel', channelId: 'C9', label: 'proj' },
        { kind: 'slack_user', userId: 'U1' },
      ],
      rules,
    );
    expect(refs).toEqual([
      { kind: 'email', email: 'ann@example.com', label: 'Ann' },
      { kind: 'unresolvable', label: 'Cat', reason: 'bot' },
      { kind: 'unresolvable', label: 'Dan', reason: 'deactivated_slack_user' },
      { kind: 'unresolvable', label: 'Eve', reason: 'guest' },
      { kind: 'email', email: 'bob@example.com', label: 'Bob' },
    ]);
    expect(source.asked).toHaveLength(1);
  });

  it('says a channel has no members rather than leaving it out', async () => {
    const refs = await resolvePersonTokens(
      memorySource(people, {}, { C0: [] }),
      [{ kind: 'channel', channelId: 'C0', label: 'empty' }],
      rules,
    );
    expect(refs).toEqual([
      { kind: 'unresolvable', label: '#empty', reason: 'invalid', detail: 'This channel has no members.' },
    ]);
  });

  it('asks the directory once for everyone, user groups included', async () => {
    const source = memorySource(people, { S1: ['U1', 'U2'] });
    await resolvePersonTokens(
      source,
      [
        { kind: 'slack_user', userId: 'U5' },
        { kind: 'slack_usergroup', usergroupId: 'S1', label: '@team' },
      ],
      rules,
    );
    expect(source.asked).toEqual([['U5', 'U1', 'U2']]);
  });

  it('collapses duplicates: the same user twice, a user and their email, a group overlapping a mention', async () => {
    const refs = await resolvePersonTokens(
      memorySource(people, { S1: ['U1', 'U2', 'U3'] }),
      [
        { kind: 'slack_user', userId: 'U1' },
        { kind: 'email', email: 'ann@example.com' },
        { kind: 'slack_user', userId: 'U1', label: 'ann' },
        { kind: 'slack_usergroup', usergroupId: 'S1' },
        { kind: 'slack_user', userId: 'U3' },
        { kind: 'kantata_id', id: '7' },
        { kind: 'kantata_id', id: '7' },
      ],
      rules,
    );
    expect(refs).toEqual([
      { kind: 'email', email: 'ann@example.com', label: 'Ann' },
      { kind: 'email', email: 'bob@example.com', label: 'Bob' },
      { kind: 'unresolvable', label: 'Cat', reason: 'bot' },
      { kind: 'kantata_id', id: '7', label: 'id:7' },
    ]);
  });

  it('does not merge two different bots that share a name', async () => {
    const refs = await resolvePersonTokens(
      memorySource([p('B1', 'Helper', { isBot: true }), p('B2', 'Helper', { isBot: true })]),
      [
        { kind: 'slack_user', userId: 'B1' },
        { kind: 'slack_user', userId: 'B2' },
      ],
      rules,
    );
    expect(refs).toHaveLength(2);
  });

  it('gives each Slack miss its reason, guests included', async () => {
    const refs = await resolvePersonTokens(
      memorySource(people),
      ['U3', 'U4', 'U5', 'U404'].map((userId) => ({
        kind: 'slack_user' as const,
        userId,
        label: `<${userId}>`,
      })),
      rules,
    );
    expect(refs).toEqual([
      { kind: 'unresolvable', label: 'Cat', reason: 'bot' },
      { kind: 'unresolvable', label: 'Dan', reason: 'deactivated_slack_user' },
      { kind: 'unresolvable', label: 'Eve', reason: 'guest' },
      { kind: 'unresolvable', label: '<U404>', reason: 'unknown_slack_user' },
    ]);
  });

  it('reports an unknown or empty user group instead of silently naming nobody', async () => {
    const refs = await resolvePersonTokens(
      memorySource(people, { S0: [] }),
      [
        { kind: 'slack_usergroup', usergroupId: 'S404', label: '@ghosts' },
        { kind: 'slack_usergroup', usergroupId: 'S0' },
      ],
      rules,
    );
    expect(refs).toEqual([
      { kind: 'unresolvable', label: '@ghosts', reason: 'invalid', detail: 'Slack has no such user group.' },
      {
        kind: 'unresolvable',
        label: 'S0',
        reason: 'invalid',
        detail: 'This Slack user group has no members.',
      },
    ]);
  });

  it('fails as a whole when Slack cannot list a user group', async () => {
    const source = memorySource(people, { S1: ['U1'] });
    source.failGroups = true;
    await expect(
      resolvePersonTokens(source, [{ kind: 'slack_usergroup', usergroupId: 'S1' }], rules),
    ).rejects.toMatchObject({ code: 'slack_unavailable', slackError: 'ratelimited' });
  });

  it('does not call Slack at all when nobody is named through Slack', async () => {
    const source = memorySource(people);
    await resolvePersonTokens(source, [{ kind: 'email', email: 'a@b.io' }], rules);
    expect(source.asked).toEqual([]);
  });
});
