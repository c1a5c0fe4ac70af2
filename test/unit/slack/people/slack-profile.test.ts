import { describe, expect, it } from 'vitest';
import { parseSlackUser } from '../../../../src/slack/people/slack-profile.js';

describe('parseSlackUser', () => {
  it('prefers the display name, then the real name, then the handle', () => {
    const base = { id: 'U1', name: 'ann.h', real_name: 'Ann Real', profile: { real_name: 'Ann Profile' } };
    expect(parseSlackUser({ ...base, profile: { ...base.profile, display_name: 'Annie' } })?.name).toBe(
      'Annie',
    );
    expect(parseSlackUser({ ...base, profile: { display_name: '  ', real_name: 'Ann Profile' } })?.name).toBe(
      'Ann Profile',
    );
    expect(parseSlackUser({ id: 'U1', name: 'ann.h', real_name: 'Ann Real' })?.name).toBe('Ann Real');
    expect(parseSlackUser({ id: 'U1', name: 'ann.h' })?.name).toBe('ann.h');
    expect(parseSlackUser({ id: 'U1' })?.name).toBe('U1');
  });

  it('reads email, bot, deactivated and guest flags', () => {
    expect(
      parseSlackUser({
        id: 'U1',
        deleted: true,
        is_bot: false,
        is_restricted: true,
        profile: { email: 'a@x.io' },
      }),
    ).toEqual({
      id: 'U1',
      name: 'U1',
      email: 'a@x.io',
      isBot: false,
      deleted: true,
      isGuest: true,
      isExternal: false,
    });
    expect(parseSlackUser({ id: 'U2', is_ultra_restricted: true })?.isGuest).toBe(true);
    expect(parseSlackUser({ id: 'B1', is_bot: true })?.isBot).toBe(true);
    expect(parseSlackUser({ id: 'U3', profile: { email: '' } })).not.toHaveProperty('email');
  });

  it('treats Slackbot as a bot although Slack does not flag it', () => {
    expect(parseSlackUser({ id: 'USLACKBOT', name: 'slackbot', is_bot: false })?.isBot).toBe(true);
  });

  it('returns null for objects without an id, and ignores unknown fields', () => {
    expect(parseSlackUser({ name: 'x' })).toBeNull();
    expect(parseSlackUser(null)).toBeNull();
    expect(parseSlackUser({ id: 'U1', tz: 'Europe/Paris', profile: { image_72: 'x' } })?.id).toBe('U1');
  });
});
