import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/membership/errors.js';
import { createMembershipService } from '../../../src/membership/membership-service.js';
import { createMemoryKantataGateway } from '../../fakes/memory-kantata-gateway.js';

function setup() {
  const kantata = createMemoryKantataGateway();
  let clock = 1_000_000;
  const service = createMembershipService({
    kantata,
    maxPeoplePerChange: 1000,
    now: () => clock,
    groupCacheTtlMs: 60_000,
  });
  return {
    kantata,
    service,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('findGroup', () => {
  it('finds a group by its exact name, ignoring case and extra whitespace', async () => {
    const { kantata, service } = setup();
    kantata.addGroup('Design Team', '11');
    kantata.addGroup('Design Team Leads', '12');
    expect(await service.findGroup({ kind: 'name', name: '  design   TEAM ' })).toEqual({
      id: '11',
      name: 'Design Team',
    });
  });

  it('finds a group by id', async () => {
    const { kantata, service } = setup();
    kantata.addGroup('Finance', '42');
    expect(await service.findGroup({ kind: 'id', id: '42' })).toEqual({ id: '42', name: 'Finance' });
  });

  it('does not take a partial match for the group', async () => {
    const { kantata, service } = setup();
    kantata.addGroup('Design Team', '11');
    const error = await caught(service.findGroup({ kind: 'name', name: 'Design' }));
    expect(error.code).toBe('group_not_found');
    expect(error.detail).toEqual({ query: 'Design', suggestions: ['Design Team'] });
  });

  it('suggests up to five close names for an unknown group', async () => {
    const { kantata, service } = setup();
    for (const name of ['Design Team', 'Design Ops', 'Engineering', 'Finance', 'Sales'])
      kantata.addGroup(name);
    const error = await caught(service.findGroup({ kind: 'name', name: 'Desgin Team' }));
    expect(error.code).toBe('group_not_found');
    expect(error.detail.suggestions).toEqual(['Design Team']);
    const typo = await caught(service.findGroup({ kind: 'name', name: 'Enginering' }));
    expect(typo.detail.suggestions).toEqual(['Engineering']);
  });

  it('says an unknown id is not found', async () => {
    const { service } = setup();
    const error = await caught(service.findGroup({ kind: 'id', id: '999' }));
    expect(error.code).toBe('group_not_found');
    expect(error.detail).toEqual({ query: 'id:999', suggestions: [] });
    expect((await caught(service.findGroup({ kind: 'id', id: 'abc' }))).code).toBe('group_not_found');
  });
});

describe('searchGroups', () => {
  it('lists prefix matches first, then substring matches, each alphabetically', async () => {
    const { kantata, service } = setup();
    for (const name of ['Product Design', 'design ops', 'Design Team', 'Sales', 'UX design'])
      kantata.addGroup(name);
    const names = (await service.searchGroups('des')).map((g) => g.name);
    expect(names).toEqual(['design ops', 'Design Team', 'Product Design', 'UX design']);
  });

  it('lists every group alphabetically for an empty query, up to the limit', async () => {
    const { kantata, service } = setup();
    for (const name of ['b', 'C', 'a', 'd']) kantata.addGroup(name);
    expect((await service.searchGroups('')).map((g) => g.name)).toEqual(['a', 'b', 'C', 'd']);
    expect((await service.searchGroups('', 2)).map((g) => g.name)).toEqual(['a', 'b']);
  });

  it('reuses the group list for the TTL, then fetches it once again', async () => {
    const { kantata, service, advance } = setup();
    kantata.addGroup('Alpha');
    await service.searchGroups('a');
    kantata.addGroup('Alpine');
    advance(59_000);
    expect((await service.searchGroups('alp')).map((g) => g.name)).toEqual(['Alpha']);
    advance(2_000);
    expect((await service.searchGroups('alp')).map((g) => g.name)).toEqual(['Alpha', 'Alpine']);
    expect(kantata.callsOf('listAllGroups')).toHaveLength(2);
  });

  it('shares one refresh between concurrent callers', async () => {
    const { kantata, service } = setup();
    kantata.addGroup('Alpha');
    const results = await Promise.all(Array.from({ length: 10 }, () => service.searchGroups('al')));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(kantata.callsOf('listAllGroups')).toHaveLength(1);
  });

  it('keeps answering from the old list when a refresh fails, and fails with no list at all', async () => {
    const { kantata, service, advance } = setup();
    kantata.addGroup('Alpha');
    const down = new AppError('kantata_unavailable', 'Kantata is down');
    kantata.fail({ op: 'listAllGroups', error: down });
    expect((await caught(service.searchGroups('a'))).code).toBe('kantata_unavailable');
    await service.searchGroups('a');
    advance(120_000);
    kantata.fail({ op: 'listAllGroups', error: down });
    expect((await service.searchGroups('alp')).map((g) => g.name)).toEqual(['Alpha']);
  });
});
