import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKantataGateway, type KantataClient } from '../../../src/kantata/index.js';
import type { KantataGateway } from '../../../src/membership/ports.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { clientFor, rejectionOf } from './support.js';

describe('Kantata gateway (over HTTP, fake Kantata)', () => {
  let fake: FakeKantata;
  let client: KantataClient;
  let gateway: KantataGateway;
  let design: { id: string; name: string };
  let people: { id: string; email: string; name: string }[];

  beforeAll(async () => {
    fake = await startFakeKantata();
    design = fake.addGroup('Design');
    fake.addGroup('Designers');
    fake.addGroup('Marketing');
    people = fake.addUsers(600);
    // Every other one of the first 450 people is in Design.
    fake.addMembers(
      design.id,
      people
        .slice(0, 450)
        .filter((_, i) => i % 2 === 0)
        .map((p) => p.id),
    );
    client = clientFor(fake);
    gateway = createKantataGateway(client);
  });
  beforeEach(() => fake.resetRequests());
  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

  describe('groups', () => {
    it('searchGroups matches case-insensitively with `matching` and per_page=200', async () => {
      const groups = await gateway.searchGroups('DESIGN');
      expect(groups.map((g) => g.name)).toEqual(['Design', 'Designers']);
      expect(fake.requests[0]?.query).toEqual({ matching: 'DESIGN', per_page: '200', page: '1' });
    });

    it('listAllGroups returns every group across pages', async () => {
      const extra = await startFakeKantata();
      const extraClient = clientFor(extra);
      try {
        for (let i = 0; i < 250; i += 1) extra.addGroup(`G${String(i).padStart(3, '0')}`);
        const groups = await createKantataGateway(extraClient).listAllGroups();
        expect(groups).toHaveLength(250);
        expect(new Set(groups.map((g) => g.id)).size).toBe(250);
        expect(extra.requests).toHaveLength(2);
      } finally {
        await extraClient.close();
        await extra.close();
      }
    });

    it('getGroup returns the group, or null when Kantata answers 404', async () => {
      expect(await gateway.getGroup(design.id)).toEqual(design);
      expect(await gateway.getGroup('424242')).toBeNull();
    });
  });

  describe('memberships', () => {
    it("lists a group's members with the included users", async () => {
      const members = await gateway.listMemberships({ groupId: design.id });
      expect(members).toHaveLength(225);
      const first = members.find((m) => m.userId === people[0]?.id);
      expect(first).toMatchObject({
        groupId: design.id,
        user: { id: people[0]?.id, email: people[0]?.email, disabled: false, isAdministrator: false },
      });
      expect(requestsTo('/user_group_memberships').map((r) => r.query.page)).toEqual(['1', '2']);
    });

    it('chunks 450 user ids into 3 requests of at most 200 ids', async () => {
      const ids = people.slice(0, 450).map((p) => p.id);
      const members = await gateway.listMemberships({ groupId: design.id, userIds: ids });
      const sizes = requestsTo('/user_group_memberships').map((r) => r.query.user_ids?.split(',').length);
      expect(sizes).toEqual([200, 200, 50]);
      expect(requestsTo('/user_group_memberships').every((r) => r.query.group_ids === design.id)).toBe(true);
      expect(members).toHaveLength(225);
      expect(new Set(members.map((m) => m.userId))).toEqual(
        new Set(
          people
            .slice(0, 450)
            .filter((_, i) => i % 2 === 0)
            .map((p) => p.id),
        ),
      );
    });

    it('returns nothing and asks nothing for an empty user id list', async () => {
      expect(await gateway.listMemberships({ groupId: design.id, userIds: [] })).toEqual([]);
      expect(fake.requests).toHaveLength(0);
    });

    it('memberPages yields the same members page by page', async () => {
      const pages: number[] = [];
      const all: string[] = [];
      for await (const page of gateway.memberPages?.(design.id) ?? []) {
        pages.push(page.length);
        all.push(...page.map((m) => m.id));
      }
      expect(pages).toEqual([200, 25]);
      const listed = await gateway.listMemberships({ groupId: design.id });
      expect(all).toEqual(listed.map((m) => m.id));
    });

    it('createMemberships sends exactly one bulk POST with integer ids', async () => {
      const group = fake.addGroup('Bulk');
      const ids = people.slice(500, 503).map((p) => p.id);
      const created = await gateway.createMemberships(group.id, ids);
      expect(created.map((m) => m.userId)).toEqual(ids);
      expect(created.every((m) => m.groupId === group.id && /^\d+$/.test(m.id))).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.body).toEqual({
        user_group_memberships: ids.map((id) => ({
          user_id: Number(id),
          workspace_group_id: Number(group.id),
        })),
      });
      expect(fake.memberships(group.id).map((m) => m.userId)).toEqual(ids);
    });

    it('createMemberships refuses more than 100 without asking Kantata', async () => {
      const error = await rejectionOf(
        gateway.createMemberships(
          design.id,
          people.slice(0, 101).map((p) => p.id),
        ),
      );
      expect(error).toMatchObject({ code: 'invalid_input' });
      expect(fake.requests).toHaveLength(0);
    });

    it('createMemberships with a refused user creates nothing (Kantata is all-or-nothing)', async () => {
      const group = fake.addGroup('Refusing');
      const [a, b] = people.slice(510, 512);
      fake.refuseUser(b!.id, 'User is not allowed in this group');
      const error = await rejectionOf(gateway.createMemberships(group.id, [a!.id, b!.id]));
      expect(error).toMatchObject({
        code: 'kantata_validation',
        kantataMessage: 'User is not allowed in this group',
      });
      expect(fake.memberships(group.id)).toEqual([]);
    });

    it('deleteMembership removes it; a second delete is kantata_not_found', async () => {
      const membership = fake.addMembership(people[599]!.id, design.id);
      await gateway.deleteMembership(membership.id);
      expect(fake.memberships(design.id).some((m) => m.id === membership.id)).toBe(false);
      expect(await rejectionOf(gateway.deleteMembership(membership.id))).toMatchObject({
        code: 'kantata_not_found',
      });
    });
  });

  describe('users', () => {
    it('findUsersByEmails asks for ≤200 emails a request and matches case-insensitively', async () => {
      const emails = people.slice(0, 450).map((p, i) => (i % 3 === 0 ? p.email.toUpperCase() : p.email));
      const users = await gateway.findUsersByEmails([
        ...emails,
        'nobody@example.com',
        emails[0]!.toLowerCase(),
      ]);
      const sizes = requestsTo('/users').map((r) => r.query.by_email_addresses?.split(',').length);
      expect(sizes).toEqual([200, 200, 51]);
      expect(
        requestsTo('/users').every(
          (r) => r.query.on_my_account === 'true' && r.query.show_disabled === 'true',
        ),
      ).toBe(true);
      expect(users.map((u) => u.id).sort()).toEqual(
        people
          .slice(0, 450)
          .map((p) => p.id)
          .sort(),
      );
    });

    it('flags disabled users and detects admins by is_administrator and by permission', async () => {
      const off = fake.addUser({ email: 'off@example.com', name: 'Off', disabled: true });
      const flag = fake.addUser({
        email: 'flag@example.com',
        name: 'Flag',
        admin: true,
        permission: 'project_lead',
      });
      const perm = fake.addUser({ email: 'perm@example.com', name: 'Perm', permission: 'administrator' });
      const plain = fake.addUser({
        email: 'plain@example.com',
        name: 'Plain',
        permission: 'project_creator',
      });
      const users = await gateway.findUsersByEmails([off.email, flag.email, perm.email, plain.email]);
      const byEmail = new Map(users.map((u) => [u.email, u]));
      expect(byEmail.get(off.email)).toMatchObject({ disabled: true, isAdministrator: false, name: 'Off' });
      expect(byEmail.get(flag.email)).toMatchObject({ disabled: false, isAdministrator: true });
      expect(byEmail.get(perm.email)).toMatchObject({ disabled: false, isAdministrator: true });
      expect(byEmail.get(plain.email)).toMatchObject({ disabled: false, isAdministrator: false });
    });

    it('findUsersByIds uses `only`, chunked by 200', async () => {
      const ids = people.slice(0, 250).map((p) => p.id);
      const users = await gateway.findUsersByIds(ids);
      expect(requestsTo('/users').map((r) => r.query.only?.split(',').length)).toEqual([200, 50]);
      expect(users.map((u) => u.id).sort()).toEqual([...ids].sort());
    });

    it('getMe reads the token owner with its account membership', async () => {
      expect(await gateway.getMe()).toEqual({
        id: fake.ownerId,
        name: 'Bot Admin',
        email: 'bot@example.com',
        disabled: false,
        isAdministrator: true,
      });
      expect(fake.requests[0]?.query).toEqual({ include: 'account_membership' });
    });
  });
});
