import { describe, expect, it } from 'vitest';
import { profileToPersonRef, toTargetRules } from '../../../../src/slack/people/profile-to-person-ref.js';
import type { SlackProfile } from '../../../../src/slack/people/slack-profile.js';

const person = (p: Partial<SlackProfile> = {}): SlackProfile => ({
  id: 'U1',
  name: 'Ann',
  email: 'Ann@Example.com',
  isBot: false,
  deleted: false,
  isGuest: false,
  ...p,
});
const found = (p: Partial<SlackProfile> = {}) => ({ status: 'found' as const, profile: person(p) });
const rules = toTargetRules();

describe('profileToPersonRef', () => {
  it('turns a person with an email into a lower-cased email ref labelled with their name', () => {
    expect(profileToPersonRef(found(), 'U1', rules)).toEqual({
      kind: 'email',
      email: 'ann@example.com',
      label: 'Ann',
    });
  });

  it('says why bots, deactivated users and people without email cannot be used', () => {
    expect(profileToPersonRef(found({ isBot: true }), 'U1', rules)).toMatchObject({
      reason: 'bot',
      label: 'Ann',
    });
    expect(profileToPersonRef(found({ deleted: true }), 'U1', rules)).toMatchObject({
      reason: 'deactivated_slack_user',
    });
    const { email: _drop, ...noEmail } = person();
    expect(profileToPersonRef({ status: 'found', profile: noEmail }, 'U1', rules)).toMatchObject({
      kind: 'unresolvable',
      reason: 'no_slack_email',
    });
  });

  it('refuses guests as targets (SPEC §4.1 lists them among the unresolved) unless told otherwise', () => {
    expect(profileToPersonRef(found({ isGuest: true }), 'U1', rules)).toMatchObject({ reason: 'guest' });
    expect(
      profileToPersonRef(found({ isGuest: true }), 'U1', toTargetRules({ allowGuests: true })),
    ).toMatchObject({ kind: 'email' });
  });

  it('refuses Slack emails outside the allowed domains', () => {
    const only = toTargetRules({ emailDomains: ['@Corp.test', ' other.test '] });
    expect(profileToPersonRef(found({ email: 'a@corp.test' }), 'U1', only)).toMatchObject({ kind: 'email' });
    expect(profileToPersonRef(found({ email: 'a@evil.test' }), 'U1', only)).toMatchObject({
      reason: 'email_domain_not_allowed',
      detail: 'a@evil.test',
    });
    expect(profileToPersonRef(found({ email: 'a@sub.corp.test' }), 'U1', only)).toMatchObject({
      reason: 'email_domain_not_allowed',
    });
  });

  it('labels people Slack could not describe with what the requester wrote', () => {
    expect(profileToPersonRef({ status: 'unknown' }, 'ghost', rules)).toEqual({
      kind: 'unresolvable',
      label: 'ghost',
      reason: 'unknown_slack_user',
    });
    expect(profileToPersonRef({ status: 'failed' }, 'U9', rules)).toMatchObject({
      label: 'U9',
      detail: expect.any(String),
    });
    expect(profileToPersonRef({ status: 'not_looked_up' }, 'U9', rules)).toMatchObject({
      reason: 'unknown_slack_user',
    });
  });
});

describe('people of another organization', () => {
  it('never matches the email of a Slack Connect user (is_stranger)', () => {
    const ref = profileToPersonRef(
      { status: 'found', profile: person({ isExternal: true }) },
      'Ann',
      toTargetRules(),
    );
    expect(ref).toMatchObject({ kind: 'unresolvable', reason: 'external_user' });
  });

  it('never matches the email of a user of another team', () => {
    const rules = { ...toTargetRules(), ownTeamId: 'T0HOME' };
    const foreign = profileToPersonRef(
      { status: 'found', profile: person({ teamId: 'T0OTHER' }) },
      'Ann',
      rules,
    );
    expect(foreign).toMatchObject({ kind: 'unresolvable', reason: 'external_user' });
    const own = profileToPersonRef({ status: 'found', profile: person({ teamId: 'T0HOME' }) }, 'Ann', rules);
    expect(own).toMatchObject({ kind: 'email', email: 'ann@example.com' });
  });
});
