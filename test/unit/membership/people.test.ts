import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import type { PersonRef } from '../../../src/membership/types.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';

function setup(maxPeoplePerChange = 1000) {
  const kantata = createMemoryKantataGateway();
  const service = createMembershipService({ kantata, maxPeoplePerChange });
  return { kantata, service };
}

const email = (address: string, label?: string): PersonRef =>
  label === undefined ? { kind: 'email', email: address } : { kind: 'email', email: address, label };
const id = (value: string): PersonRef => ({ kind: 'kantata_id', id: value });

describe('resolvePeople', () => {
  it('resolves emails case-insensitively and ids, keeping the order of the request', async () => {
    const { kantata, service } = setup();
    const ann = kantata.addUser({ id: '1', name: 'Ann', email: 'ann@example.com' });
    const bob = kantata.addUser({ id: '2', name: 'Bob', email: 'bob@example.com' });
    const result = await service.resolvePeople([email('BOB@Example.com'), id('1')]);
    expect(result.users.map((r) => r.user)).toEqual([bob, ann]);
    expect(result.unresolved).toEqual([]);
  });

  it('looks all emails up in one batch', async () => {
    const { kantata, service } = setup();
    const people = kantata.addUsers(250);
    const result = await service.resolvePeople(people.map((p) => email(p.email)));
    expect(result.users).toHaveLength(250);
    expect(kantata.callsOf('findUsersByEmails')).toHaveLength(1);
  });

  it('collapses duplicates, including one person named by email and by id', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com' });
    const result = await service.resolvePeople([
      email('ann@example.com'),
      email('ANN@example.com '),
      id('1'),
      id('1'),
    ]);
    expect(result.users.map((r) => r.user.id)).toEqual(['1']);
  });

  it('explains who could not be resolved and why', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '1', email: 'gone@example.com', disabled: true });
    kantata.addUser({ id: '2', email: 'twin@example.com' });
    kantata.addUser({ id: '3', email: 'TWIN@example.com' });
    kantata.addUser({ id: '4', email: 'ann@example.com' });
    const result = await service.resolvePeople([
      email('nobody@example.com'),
      email('gone@example.com', 'Gone Person'),
      email('twin@example.com'),
      id('77'),
      id('1'),
      { kind: 'unresolvable', label: '@guest', reason: 'guest' },
      email('not an email'),
      id('12; DROP'),
      email('ann@example.com'),
    ]);
    expect(result.users.map((r) => r.user.id)).toEqual(['4']);
    expect(result.unresolved.map((u) => [u.label, u.reason])).toEqual([
      ['nobody@example.com', 'no_kantata_user'],
      ['Gone Person', 'disabled'],
      ['twin@example.com', 'several_matches'],
      ['id:77', 'no_kantata_user'],
      ['id:1', 'disabled'],
      ['@guest', 'guest'],
      ['not an email', 'invalid'],
      ['id:12; DROP', 'invalid'],
    ]);
    expect(result.unresolved[1]?.detail).toContain('gone@example.com');
  });

  it('never sends an email with a comma to Kantata (it would name two people)', async () => {
    const { kantata, service } = setup();
    await service.resolvePeople([email('a@example.com,b@example.com')]);
    expect(kantata.callsOf('findUsersByEmails')).toEqual([]);
  });

  it('prefers the one active user when a disabled user shares the email', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '1', email: 'ann@example.com', disabled: true });
    kantata.addUser({ id: '2', email: 'ann@example.com' });
    const result = await service.resolvePeople([email('ann@example.com')]);
    expect(result.users.map((r) => r.user.id)).toEqual(['2']);
  });

  it('accepts disabled users when asked to (removals)', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '1', email: 'gone@example.com', disabled: true });
    const result = await service.resolvePeople([email('gone@example.com'), id('1')], { allowDisabled: true });
    expect(result.users.map((r) => r.user.id)).toEqual(['1']);
  });

  it('refuses more people than MAX_PEOPLE_PER_CHANGE, counting duplicates once', async () => {
    const { service } = setup(3);
    const refs = ['a', 'b', 'c', 'd'].map((n) => email(`${n}@example.com`));
    await expect(service.resolvePeople(refs)).rejects.toMatchObject({
      code: 'too_many_people',
      detail: { max: 3 },
    });
    await expect(service.resolvePeople([...refs.slice(0, 3), refs[0]!])).resolves.toBeDefined();
    await expect(service.resolvePeople(refs)).rejects.toBeInstanceOf(AppError);
  });
});

describe('findUserByEmail and isAdministrator', () => {
  it('finds exactly one active user, or says why not', async () => {
    const { kantata, service } = setup();
    const ann = kantata.addUser({ id: '1', email: 'ann@example.com' });
    kantata.addUser({ id: '2', email: 'gone@example.com', disabled: true });
    kantata.addUser({ id: '3', email: 'twin@example.com' });
    kantata.addUser({ id: '4', email: 'twin@example.com' });
    expect(await service.findUserByEmail('Ann@Example.com')).toEqual({ ok: true, user: ann });
    expect(await service.findUserByEmail('gone@example.com')).toEqual({ ok: false, reason: 'disabled' });
    expect(await service.findUserByEmail('twin@example.com')).toEqual({
      ok: false,
      reason: 'several_matches',
    });
    expect(await service.findUserByEmail('x@example.com')).toEqual({ ok: false, reason: 'no_kantata_user' });
  });

  it('counts only active administrators', () => {
    const { service } = setup();
    const base = { id: '1', name: 'A', email: 'a@example.com' };
    expect(service.isAdministrator({ ...base, disabled: false, isAdministrator: true })).toBe(true);
    expect(service.isAdministrator({ ...base, disabled: true, isAdministrator: true })).toBe(false);
    expect(service.isAdministrator({ ...base, disabled: false, isAdministrator: false })).toBe(false);
  });
});

describe('checkBotIsAdministrator', () => {
  it('returns the token owner when it is an active administrator', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '9', name: 'Bot Owner', email: 'bot@example.com', isAdministrator: true });
    kantata.setMe('9');
    expect((await service.checkBotIsAdministrator()).id).toBe('9');
  });

  it('refuses a token that belongs to a non-administrator, with a clear message', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '9', name: 'Plain User', email: 'plain@example.com' });
    kantata.setMe('9');
    const error = await service.checkBotIsAdministrator().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bot_not_administrator' });
    expect((error as Error).message).toMatch(/Plain User .*not an account administrator/);
  });

  it('refuses a disabled administrator', async () => {
    const { kantata, service } = setup();
    kantata.addUser({ id: '9', email: 'x@example.com', isAdministrator: true, disabled: true });
    kantata.setMe('9');
    await expect(service.checkBotIsAdministrator()).rejects.toMatchObject({ code: 'bot_not_administrator' });
  });
});
