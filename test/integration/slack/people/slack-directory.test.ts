import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackDirectory, type SlackDirectory } from '../../../../src/slack/people/index.js';
import { type FakeSlack, startFakeSlack } from '../../../fakes/fake-slack/index.js';

const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

let fake: FakeSlack;
let directories: SlackDirectory[];

beforeEach(async () => {
  fake = await startFakeSlack();
  directories = [];
});
afterEach(async () => {
  for (const d of directories) await d.stop();
  await fake.close();
});

function directory(opts: Partial<Parameters<typeof createSlackDirectory>[0]> = {}): SlackDirectory {
  const client = new webApi.WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    timeout: 5000,
    logger: quiet,
  });
  const d = createSlackDirectory({ client, ...opts });
  directories.push(d);
  return d;
}

const slackCalls = () => fake.calls.length;

describe('naming many people', () => {
  it('resolves 300 people of a user group in a 5,000-person workspace with one listing and one group call', async () => {
    const everyone = fake.addUsers(5000, { prefix: 'person', domain: 'corp.test' });
    const team = everyone.slice(1000, 1300);
    fake.addUsergroup(
      'S0TEAM',
      'design',
      team.map((u) => u.id),
    );
    const d = directory();

    const refs = await d.resolvePersonTokens([
      { kind: 'slack_usergroup', usergroupId: 'S0TEAM', label: '@design' },
    ]);

    expect(refs).toHaveLength(300);
    expect(refs[0]).toEqual({ kind: 'email', email: 'person1000@corp.test', label: 'Person 1000' });
    expect(new Set(refs.map((r) => (r.kind === 'email' ? r.email : ''))).size).toBe(300);
    expect(slackCalls()).toBeLessThanOrEqual(Math.ceil(5000 / 200) + 2);
    expect(fake.callCounts()).toEqual({ 'users.list': 26, 'usergroups.users.list': 1 });
    expect(fake.callsTo('users.list').every((c) => c.args.limit === '200')).toBe(true);
  });

  it('reuses the snapshot and the user group for the next command', async () => {
    const team = fake.addUsers(50);
    fake.addUsergroup(
      'S1',
      'team',
      team.map((u) => u.id),
    );
    const d = directory();
    await d.resolvePersonTokens([{ kind: 'slack_usergroup', usergroupId: 'S1' }]);
    const before = slackCalls();
    await d.resolvePersonTokens([
      { kind: 'slack_usergroup', usergroupId: 'S1' },
      { kind: 'slack_user', userId: team[0]!.id },
    ]);
    expect(slackCalls()).toBe(before);
  });

  it('resolves the modal multi_users_select ids the same way', async () => {
    const [ann, bot] = [
      fake.addUser({ name: 'ann', email: 'ann@corp.test' }),
      fake.addUser({ isBot: true, name: 'zap' }),
    ];
    const refs = await directory().resolveSlackUserIds([ann.id, bot.id, ann.id]);
    expect(refs).toEqual([
      { kind: 'email', email: 'ann@corp.test', label: 'ann' },
      { kind: 'unresolvable', label: 'zap', reason: 'bot' },
    ]);
  });
});

describe('people the snapshot does not know yet', () => {
  it('looks a new joiner up with one users.info and remembers them', async () => {
    fake.addUsers(10);
    const d = directory();
    await d.refresh();
    const joiner = fake.addUser({ name: 'newbie', realName: 'New Bie', email: 'New@Corp.test' });

    const refs = await d.resolvePersonTokens([{ kind: 'slack_user', userId: joiner.id, label: 'newbie' }]);
    expect(refs).toEqual([{ kind: 'email', email: 'new@corp.test', label: 'New Bie' }]);
    expect(fake.callsTo('users.info').map((c) => c.args.user)).toEqual([joiner.id]);

    await d.resolvePersonTokens([{ kind: 'slack_user', userId: joiner.id }]);
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('asks users.info for at most 20 unknown people per command, and refreshes so the rest work next time', async () => {
    const d = directory({ minRefreshGapMs: 0 });
    await d.refresh();
    const joiners = fake.addUsers(25, { prefix: 'late' });
    const listsBefore = fake.callsTo('users.list').length;

    const refs = await d.resolveSlackUserIds(joiners.map((u) => u.id));
    expect(fake.callsTo('users.info')).toHaveLength(20);
    expect(refs.filter((r) => r.kind === 'email')).toHaveLength(20);
    expect(refs.filter((r) => r.kind === 'unresolvable' && r.reason === 'unknown_slack_user')).toHaveLength(
      5,
    );

    await vi.waitFor(() => expect(fake.callsTo('users.list').length).toBeGreaterThan(listsBefore));
    await d.refresh();
    const again = await d.resolveSlackUserIds(joiners.map((u) => u.id));
    expect(again.every((r) => r.kind === 'email')).toBe(true);
    expect(fake.callsTo('users.info')).toHaveLength(20);
  });

  it('marks an id Slack does not know as unknown_slack_user, labelled as written', async () => {
    const refs = await directory().resolvePersonTokens([
      { kind: 'slack_user', userId: 'UGHOST', label: 'ghost' },
    ]);
    expect(refs).toEqual([{ kind: 'unresolvable', label: 'ghost', reason: 'unknown_slack_user' }]);
  });
});

describe('who cannot be a target, and why', () => {
  it('gives bots, Slackbot, deactivated users and people without email their reasons, guests too', async () => {
    const bot = fake.addUser({ name: 'deploybot', isBot: true });
    const gone = fake.addUser({ name: 'gone', email: 'gone@corp.test', deleted: true });
    const hidden = fake.addUser({ name: 'hidden' });
    const guest = fake.addUser({ name: 'guest', email: 'guest@partner.test', isRestricted: true });
    const refs = await directory().resolveSlackUserIds([bot.id, 'USLACKBOT', gone.id, hidden.id, guest.id]);
    expect(refs).toEqual([
      { kind: 'unresolvable', label: 'deploybot', reason: 'bot' },
      { kind: 'unresolvable', label: 'Slackbot', reason: 'bot' },
      { kind: 'unresolvable', label: 'gone', reason: 'deactivated_slack_user' },
      { kind: 'unresolvable', label: 'hidden', reason: 'no_slack_email' },
      { kind: 'unresolvable', label: 'guest', reason: 'guest' },
    ]);
  });

  it('applies IDENTITY_EMAIL_DOMAINS to emails read from Slack', async () => {
    const out = fake.addUser({ name: 'out', email: 'out@elsewhere.test' });
    const refs = await directory().resolvePersonTokens(
      [
        { kind: 'slack_user', userId: out.id },
        { kind: 'email', email: 'typed@elsewhere.test' },
      ],
      { emailDomains: ['corp.test'] },
    );
    expect(refs).toEqual([
      {
        kind: 'unresolvable',
        label: 'out',
        reason: 'email_domain_not_allowed',
        detail: 'out@elsewhere.test',
      },
      { kind: 'email', email: 'typed@elsewhere.test', label: 'typed@elsewhere.test' },
    ]);
  });
});

describe('keeping the snapshot fresh', () => {
  it('picks up new users in the background, without users.info', async () => {
    const d = directory({ refreshIntervalMs: 30 });
    d.start();
    await vi.waitFor(() => expect(d.stats().loadedAt).not.toBeNull());
    const before = d.stats().users;
    const joiner = fake.addUser({ name: 'fresh', email: 'fresh@corp.test' });
    // Watch the snapshot only: asking for the joiner now would (rightly) use users.info.
    await vi.waitFor(() => expect(d.stats().users).toBe(before + 1));
    expect(await d.resolveSlackUserIds([joiner.id])).toEqual([
      { kind: 'email', email: 'fresh@corp.test', label: 'fresh' },
    ]);
    expect(fake.callsTo('users.info')).toHaveLength(0);
  });

  it('sees a changed profile after the next refresh', async () => {
    const ann = fake.addUser({ name: 'ann', email: 'ann@corp.test' });
    const d = directory();
    expect(await d.getProfile(ann.id)).toMatchObject({ isGuest: false });
    ann.isUltraRestricted = true;
    await d.refresh();
    expect(await d.getProfile(ann.id)).toMatchObject({ isGuest: true });
  });

  it('keeps loading when a users.list page is rate limited', async () => {
    fake.addUsers(450);
    fake.failNext('users.list', 'ratelimited');
    const d = directory();
    await d.refresh();
    expect(d.stats().users).toBe(452);
  });

  it('keeps the previous snapshot when a refresh fails', async () => {
    const ann = fake.addUser({ name: 'ann', email: 'ann@corp.test' });
    const d = directory();
    await d.refresh();
    fake.failNext('users.list', 'internal_error');
    await expect(d.refresh()).rejects.toThrow();
    expect(await d.getProfile(ann.id)).toMatchObject({ email: 'ann@corp.test' });
  });
});

describe('the caller of a command', () => {
  it('trusts a profile younger than a minute, and asks users.info otherwise', async () => {
    let clock = 1_000_000;
    const ann = fake.addUser({ name: 'ann', email: 'ann@corp.test' });
    const d = directory({ now: () => clock });
    await d.refresh();
    expect(await d.getCallerProfile(ann.id)).toMatchObject({ email: 'ann@corp.test' });
    expect(fake.callsTo('users.info')).toHaveLength(0);

    ann.email = 'ann.new@corp.test';
    clock += 61_000;
    expect(await d.getCallerProfile(ann.id)).toMatchObject({ email: 'ann.new@corp.test' });
    expect(await d.getCallerProfile(ann.id)).toMatchObject({ email: 'ann.new@corp.test' });
    expect(fake.callsTo('users.info')).toHaveLength(1);
  });

  it('falls back to the snapshot copy when users.info fails, and fails when there is none', async () => {
    let clock = 1_000_000;
    const ann = fake.addUser({ name: 'ann', email: 'ann@corp.test' });
    const d = directory({ now: () => clock });
    await d.refresh();
    clock += 10 * 60_000;
    fake.failNext('users.info', 'internal_error', 2);
    expect(await d.getCallerProfile(ann.id)).toMatchObject({ email: 'ann@corp.test' });
    await expect(d.getCallerProfile('UNEW')).rejects.toMatchObject({ code: 'slack_unavailable' });
  });

  it('returns null for a user Slack does not know', async () => {
    expect(await directory().getCallerProfile('UNOBODY')).toBeNull();
  });
});

describe('when Slack fails', () => {
  it('still resolves a few people with users.info if the first listing fails', async () => {
    const ann = fake.addUser({ name: 'ann', email: 'ann@corp.test' });
    fake.failNext('users.list', 'internal_error');
    const refs = await directory().resolveSlackUserIds([ann.id]);
    expect(refs).toEqual([{ kind: 'email', email: 'ann@corp.test', label: 'ann' }]);
  });

  it('fails clearly, instead of guessing, when it cannot list the workspace and more than 50 are named', async () => {
    const many = fake.addUsers(51);
    fake.failNext('users.list', 'internal_error');
    await expect(directory().resolveSlackUserIds(many.map((u) => u.id))).rejects.toMatchObject({
      name: 'SlackPeopleError',
      code: 'slack_unavailable',
      slackError: 'internal_error',
    });
    expect(fake.callsTo('users.info')).toHaveLength(0);
  });

  it('fails clearly when a user group cannot be listed, and reports an unknown one in the result', async () => {
    const d = directory();
    fake.addUsergroup('S1', 'team', []);
    fake.failNext('usergroups.users.list', 'missing_scope');
    await expect(
      d.resolvePersonTokens([{ kind: 'slack_usergroup', usergroupId: 'S1' }]),
    ).rejects.toMatchObject({
      code: 'slack_unavailable',
      slackError: 'missing_scope',
    });
    const refs = await d.resolvePersonTokens([
      { kind: 'slack_usergroup', usergroupId: 'SNONE', label: '@none' },
    ]);
    expect(refs).toEqual([
      { kind: 'unresolvable', label: '@none', reason: 'invalid', detail: 'Slack has no such user group.' },
    ]);
  });
});
