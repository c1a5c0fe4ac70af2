import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createIdentityService } from '../../../src/membership/identity.js';
import type { IdentityLink, IdentityLinkStore, LinkAuditEntry } from '../../../src/membership/ports.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';

function memoryLinks(): IdentityLinkStore & { all: Map<string, IdentityLink>; audit: LinkAuditEntry[] } {
  const all = new Map<string, IdentityLink>();
  const audit: LinkAuditEntry[] = [];
  return {
    all,
    audit,
    getLink: async (id) => all.get(id) ?? null,
    setLink: async (link, row) => {
      all.set(link.slackUserId, link);
      audit.push(row);
    },
    removeLink: async (id, row) => {
      const removed = all.get(id);
      if (!removed) return false;
      all.delete(id);
      audit.push(row(removed));
      return true;
    },
  };
}

function setup(options: { emailDomains?: string[] } = {}) {
  const kantata = createMemoryKantataGateway();
  const links = memoryLinks();
  let clock = Date.parse('2026-11-26T10:00:00Z');
  const identity = createIdentityService({ kantata, links, now: () => clock, ...options });
  return {
    kantata,
    links,
    identity,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('identify', () => {
  it('matches the Slack email to exactly one active Kantata user, ignoring case', async () => {
    const { kantata, identity } = setup();
    const ann = kantata.addUser({ id: '1', email: 'ann@example.com' });
    expect(await identity.identify({ slackUserId: 'U1', email: 'Ann@Example.COM' })).toEqual({
      linked: true,
      user: ann,
      via: 'email',
      isAdmin: false,
    });
  });

  it('detects active administrators only', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'boss@example.com', isAdministrator: true });
    kantata.addUser({ id: '2', email: 'plain@example.com' });
    expect(await identity.identify({ slackUserId: 'U1', email: 'boss@example.com' })).toMatchObject({
      isAdmin: true,
    });
    expect(await identity.identify({ slackUserId: 'U2', email: 'plain@example.com' })).toMatchObject({
      isAdmin: false,
    });
  });

  it('says why an email does not identify anyone', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'gone@example.com', disabled: true, isAdministrator: true });
    kantata.addUser({ id: '2', email: 'twin@example.com' });
    kantata.addUser({ id: '3', email: 'twin@example.com' });
    const reason = async (email?: string) => {
      const result = await identity.identify({ slackUserId: `U-${email}`, ...(email ? { email } : {}) });
      return result.linked ? 'linked' : result.reason;
    };
    expect(await reason('gone@example.com')).toBe('disabled');
    expect(await reason('twin@example.com')).toBe('several_matches');
    expect(await reason('nobody@example.com')).toBe('no_kantata_user');
    expect(await reason(undefined)).toBe('no_email');
  });

  it('links and unlinks for administrators only: the core refuses anyone else and keeps the links', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    const member = { slackUserId: 'UMEMBER', isAdmin: false };
    await expect(identity.link('U1', { kind: 'kantata_id', id: '1' }, member)).rejects.toMatchObject({
      code: 'not_authorized',
      detail: { reason: 'admins_only_link' },
    });
    const guestAdmin = { slackUserId: 'UGUEST', isAdmin: true, isGuest: true };
    await expect(identity.link('U1', { kind: 'kantata_id', id: '1' }, guestAdmin)).rejects.toMatchObject({
      code: 'not_authorized',
    });
    expect((await identity.identify({ slackUserId: 'U1' })).linked).toBe(false);
    await identity.link('U1', { kind: 'kantata_id', id: '1' }, { slackUserId: 'UADMIN', isAdmin: true });
    await expect(identity.unlink('U1', member)).rejects.toMatchObject({ code: 'not_authorized' });
    expect((await identity.identify({ slackUserId: 'U1' })).linked).toBe(true);
  });

  it('audits each link and unlink with who did it, whom and to which Kantata user; refusals write nothing', async () => {
    const { kantata, links, identity } = setup();
    const nick = kantata.addUser({ id: '7', email: 'nick@example.com', name: 'Nick' });
    await expect(
      identity.link('U1', { kind: 'kantata_id', id: '7' }, { slackUserId: 'UM', isAdmin: false }),
    ).rejects.toThrow();
    const admin = { slackUserId: 'UADMIN', isAdmin: true, kantataUserId: '1', name: 'Ada' };
    await identity.link('U1', { kind: 'email', email: 'nobody@example.com' }, admin);
    await identity.link('U1', { kind: 'email', email: 'nick@example.com' }, admin);
    expect(await identity.unlink('U1', admin)).toBe(true);
    expect(await identity.unlink('U1', admin)).toBe(false);
    const actor = { slackUserId: 'UADMIN', kantataUserId: '1', name: 'Ada' };
    expect(links.audit).toEqual([
      {
        id: expect.any(String),
        at: '2026-11-26T10:00:00.000Z',
        event: 'linked',
        actor,
        slackUserId: 'U1',
        kantataUserId: nick.id,
        kantataUserName: 'Nick',
        kantataUserEmail: 'nick@example.com',
      },
      {
        id: expect.any(String),
        at: '2026-11-26T10:00:00.000Z',
        event: 'unlinked',
        actor,
        slackUserId: 'U1',
        kantataUserId: nick.id,
      },
    ]);
    expect(new Set(links.audit.map((e) => e.id)).size).toBe(2);
  });

  it('never links guests or bots, even with an explicit link', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'guest@example.com', isAdministrator: true });
    await identity.link('U1', { kind: 'kantata_id', id: '1' }, { slackUserId: 'UADMIN', isAdmin: true });
    expect(await identity.identify({ slackUserId: 'U1', email: 'guest@example.com', isGuest: true })).toEqual(
      {
        linked: false,
        reason: 'guest',
      },
    );
    expect(await identity.identify({ slackUserId: 'U1', isBot: true })).toEqual({
      linked: false,
      reason: 'bot',
    });
  });

  it('limits email matching to the allowed domains; explicit links still work', async () => {
    const { kantata, identity } = setup({ emailDomains: ['Example.com', '@corp.example'] });
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    kantata.addUser({ id: '2', email: 'eve@elsewhere.org' });
    kantata.addUser({ id: '3', email: 'carl@corp.example' });
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      linked: true,
    });
    expect(await identity.identify({ slackUserId: 'U3', email: 'carl@corp.example' })).toMatchObject({
      linked: true,
    });
    expect(await identity.identify({ slackUserId: 'U2', email: 'eve@elsewhere.org' })).toEqual({
      linked: false,
      reason: 'email_domain_not_allowed',
      detail: 'elsewhere.org',
    });
    expect(kantata.callsOf('findUsersByEmails')).toHaveLength(2);
    await identity.link(
      'U2',
      { kind: 'email', email: 'eve@elsewhere.org' },
      { slackUserId: 'UADMIN', isAdmin: true },
    );
    expect(await identity.identify({ slackUserId: 'U2', email: 'eve@elsewhere.org' })).toMatchObject({
      linked: true,
      via: 'link',
    });
  });

  it('prefers the explicit link over the email', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    const other = kantata.addUser({ id: '2', email: 'ann.work@example.com', isAdministrator: true });
    await identity.link('U1', { kind: 'kantata_id', id: '2' }, { slackUserId: 'UADMIN', isAdmin: true });
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toEqual({
      linked: true,
      user: other,
      via: 'link',
      isAdmin: true,
    });
  });

  it('reports a link whose Kantata user no longer exists, or is disabled', async () => {
    const { kantata, links, identity } = setup();
    links.all.set('U1', {
      slackUserId: 'U1',
      kantataUserId: '404',
      linkedBy: 'UADMIN',
      linkedAt: '2026-01-01T00:00:00Z',
    });
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      linked: false,
      reason: 'link_target_missing',
    });
    kantata.addUser({ id: '5', email: 'old@example.com', disabled: true });
    links.all.set('U2', {
      slackUserId: 'U2',
      kantataUserId: '5',
      linkedBy: 'UADMIN',
      linkedAt: '2026-01-01T00:00:00Z',
    });
    expect(await identity.identify({ slackUserId: 'U2' })).toMatchObject({
      linked: false,
      reason: 'disabled',
    });
  });

  it('caches admin status for at most 60 seconds', async () => {
    const { kantata, identity, advance } = setup();
    const boss = kantata.addUser({ id: '1', email: 'boss@example.com', isAdministrator: true });
    const person = { slackUserId: 'U1', email: 'boss@example.com' };
    expect(await identity.identify(person)).toMatchObject({ isAdmin: true });
    kantata.addUser({ ...boss, isAdministrator: false });
    advance(59_000);
    expect(await identity.identify(person)).toMatchObject({ isAdmin: true });
    advance(1_000);
    expect(await identity.identify(person)).toMatchObject({ isAdmin: false });
    expect(kantata.callsOf('findUsersByEmails')).toHaveLength(2);
  });

  it('never caches longer than 60 seconds, whatever it is configured to', async () => {
    const kantata = createMemoryKantataGateway();
    let clock = 0;
    const identity = createIdentityService({
      kantata,
      links: memoryLinks(),
      adminCacheTtlMs: 3_600_000,
      now: () => clock,
    });
    kantata.addUser({ id: '1', email: 'a@example.com', isAdministrator: true });
    await identity.identify({ slackUserId: 'U1', email: 'a@example.com' });
    clock += 60_000;
    await identity.identify({ slackUserId: 'U1', email: 'a@example.com' });
    expect(kantata.callsOf('findUsersByEmails')).toHaveLength(2);
  });

  it('looks again when the Slack email changed', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'a@example.com' });
    kantata.addUser({ id: '2', email: 'b@example.com' });
    await identity.identify({ slackUserId: 'U1', email: 'a@example.com' });
    expect(await identity.identify({ slackUserId: 'U1', email: 'b@example.com' })).toMatchObject({
      user: { id: '2' },
    });
  });

  it('does not cache a Kantata failure', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'a@example.com' });
    kantata.fail({ op: 'findUsersByEmails', error: new AppError('kantata_unavailable', 'down') });
    await expect(identity.identify({ slackUserId: 'U1', email: 'a@example.com' })).rejects.toMatchObject({
      code: 'kantata_unavailable',
    });
    expect(await identity.identify({ slackUserId: 'U1', email: 'a@example.com' })).toMatchObject({
      linked: true,
    });
  });
});

describe('link and unlink', () => {
  it('stores a link to an active user found by email or id, and takes effect at once', async () => {
    const { kantata, links, identity } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    const bob = kantata.addUser({ id: '2', email: 'bob@example.com' });
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      user: { id: '1' },
    });
    const result = await identity.link(
      'U1',
      { kind: 'email', email: 'BOB@example.com' },
      { slackUserId: 'UADMIN', isAdmin: true },
    );
    expect(result).toEqual({
      ok: true,
      user: bob,
      link: {
        slackUserId: 'U1',
        kantataUserId: '2',
        linkedBy: 'UADMIN',
        linkedAt: '2026-11-26T10:00:00.000Z',
      },
    });
    expect(links.all.get('U1')?.kantataUserId).toBe('2');
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      user: { id: '2' },
      via: 'link',
    });
  });

  it('refuses to link to a missing, disabled or ambiguous user, or to nonsense', async () => {
    const { kantata, links, identity } = setup();
    kantata.addUser({ id: '5', email: 'old@example.com', disabled: true });
    kantata.addUser({ id: '6', email: 'twin@example.com' });
    kantata.addUser({ id: '7', email: 'twin@example.com' });
    const reason = async (target: Parameters<typeof identity.link>[1]) => {
      const result = await identity.link('U1', target, { slackUserId: 'UADMIN', isAdmin: true });
      return result.ok ? 'ok' : result.reason;
    };
    expect(await reason({ kind: 'kantata_id', id: '404' })).toBe('no_kantata_user');
    expect(await reason({ kind: 'kantata_id', id: '5' })).toBe('disabled');
    expect(await reason({ kind: 'email', email: 'old@example.com' })).toBe('disabled');
    expect(await reason({ kind: 'email', email: 'twin@example.com' })).toBe('several_matches');
    expect(await reason({ kind: 'email', email: 'nope' })).toBe('invalid');
    expect(await reason({ kind: 'kantata_id', id: '1,2' })).toBe('invalid');
    expect(links.all.size).toBe(0);
  });

  it('unlinks, falling back to the email at once', async () => {
    const { kantata, identity } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    kantata.addUser({ id: '2', email: 'bob@example.com' });
    await identity.link('U1', { kind: 'kantata_id', id: '2' }, { slackUserId: 'UADMIN', isAdmin: true });
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      user: { id: '2' },
    });
    expect(await identity.unlink('U1', { slackUserId: 'UADMIN', isAdmin: true })).toBe(true);
    expect(await identity.unlink('U1', { slackUserId: 'UADMIN', isAdmin: true })).toBe(false);
    expect(await identity.identify({ slackUserId: 'U1', email: 'ann@example.com' })).toMatchObject({
      user: { id: '1' },
      via: 'email',
    });
  });
});
