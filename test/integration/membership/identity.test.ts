import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityService } from '../../../src/membership/identity.js';
import { memoryLinks, type Stack, startStack } from './support.js';

describe('identity over HTTP (real client and gateway, fake Kantata)', () => {
  let stack: Stack;
  let clock: number;
  beforeEach(async () => {
    stack = await startStack();
    clock = Date.parse('2026-11-26T10:00:00Z');
  });
  afterEach(async () => {
    await stack.close();
  });

  const identityService = (emailDomains?: string[]) => {
    const links = memoryLinks();
    const identity = createIdentityService({
      kantata: stack.gateway,
      links,
      now: () => clock,
      ...(emailDomains ? { emailDomains } : {}),
    });
    return { identity, links };
  };

  it('matches a Slack email to its Kantata user and tells administrators apart', async () => {
    const { fake } = stack;
    const ann = fake.addUser({ email: 'ann@example.com', name: 'Ann', admin: true });
    fake.addUser({ email: 'bob@example.com', name: 'Bob' });
    const lead = fake.addUser({ email: 'lead@example.com', name: 'Lead', permission: 'administrator' });
    const { identity } = identityService();
    expect(await identity.identify({ slackUserId: 'U1', email: 'Ann@Example.com' })).toEqual({
      linked: true,
      via: 'email',
      isAdmin: true,
      user: { id: ann.id, name: 'Ann', email: 'ann@example.com', disabled: false, isAdministrator: true },
    });
    expect(await identity.identify({ slackUserId: 'U2', email: 'bob@example.com' })).toMatchObject({
      linked: true,
      isAdmin: false,
    });
    expect(await identity.identify({ slackUserId: 'U3', email: 'lead@example.com' })).toMatchObject({
      user: { id: lead.id },
      isAdmin: true,
    });
  });

  it('does not link a disabled Kantata user or an unknown email', async () => {
    const { fake } = stack;
    fake.addUser({ email: 'gone@example.com', admin: true, disabled: true });
    const { identity } = identityService();
    expect(await identity.identify({ slackUserId: 'U1', email: 'gone@example.com' })).toMatchObject({
      linked: false,
      reason: 'disabled',
    });
    expect(await identity.identify({ slackUserId: 'U2', email: 'who@example.com' })).toMatchObject({
      linked: false,
      reason: 'no_kantata_user',
    });
  });

  it('links explicitly, by email or id, and the link wins over the Slack email', async () => {
    const { fake } = stack;
    fake.addUser({ email: 'ann@personal.example', name: 'Ann (personal)' });
    const work = fake.addUser({ email: 'ann@example.com', name: 'Ann', admin: true });
    const { identity, links } = identityService();
    const result = await identity.link(
      'U1',
      { kind: 'email', email: 'ann@example.com' },
      { slackUserId: 'UADMIN', isAdmin: true },
    );
    expect(result).toMatchObject({
      ok: true,
      user: { id: work.id },
      link: { kantataUserId: work.id, linkedBy: 'UADMIN' },
    });
    expect(links.all.get('U1')?.kantataUserId).toBe(work.id);
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@personal.example' })).toMatchObject({
      linked: true,
      via: 'link',
      isAdmin: true,
      user: { id: work.id },
    });
    expect(
      await identity.link(
        'U2',
        { kind: 'kantata_id', id: '999999' },
        { slackUserId: 'UADMIN', isAdmin: true },
      ),
    ).toMatchObject({
      ok: false,
      reason: 'no_kantata_user',
    });
    expect(await identity.unlink('U1', { slackUserId: 'UADMIN', isAdmin: true })).toBe(true);
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@personal.example' })).toMatchObject({
      via: 'email',
      isAdmin: false,
    });
  });

  it('matches emails only in the allowed domains', async () => {
    const { fake } = stack;
    fake.addUser({ email: 'ann@example.com' });
    const eve = fake.addUser({ email: 'eve@outside.org' });
    const { identity } = identityService(['example.com']);
    fake.resetRequests();
    expect(await identity.identify({ slackUserId: 'U2', email: 'eve@outside.org' })).toEqual({
      linked: false,
      reason: 'email_domain_not_allowed',
      detail: 'outside.org',
    });
    expect(fake.requests).toEqual([]);
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      linked: true,
    });
    await identity.link('U2', { kind: 'kantata_id', id: eve.id }, { slackUserId: 'UADMIN', isAdmin: true });
    expect(await identity.identify({ slackUserId: 'U2', email: 'eve@outside.org' })).toMatchObject({
      linked: true,
      via: 'link',
    });
  });

  it('refuses guests, even linked ones, without asking Kantata', async () => {
    const { fake } = stack;
    const ann = fake.addUser({ email: 'ann@example.com', admin: true });
    const { identity } = identityService();
    await identity.link(
      'UGUEST',
      { kind: 'kantata_id', id: ann.id },
      { slackUserId: 'UADMIN', isAdmin: true },
    );
    fake.resetRequests();
    expect(
      await identity.identify({ slackUserId: 'UGUEST', email: 'ann@example.com', isGuest: true }),
    ).toEqual({
      linked: false,
      reason: 'guest',
    });
    expect(fake.requests).toEqual([]);
  });

  it('notices a lost administrator status within 60 seconds, not sooner', async () => {
    const { fake } = stack;
    const ann = fake.addUser({ email: 'ann@example.com', admin: true });
    const { identity } = identityService();
    const person = { slackUserId: 'U1', email: 'ann@example.com' };
    expect(await identity.identify(person)).toMatchObject({ isAdmin: true });
    fake.updateUser(ann.id, { admin: false, permission: 'collaborator' });
    clock += 30_000;
    expect(await identity.identify(person)).toMatchObject({ isAdmin: true });
    clock += 30_000;
    expect(await identity.identify(person)).toMatchObject({ isAdmin: false });
  });
});
