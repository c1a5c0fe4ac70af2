import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createListReader, isKantataError } from '../../../src/kantata/index.js';

const readPage = createListReader('user_group_memberships', z.object({ user_id: z.string() }), {
  users: z.object({ full_name: z.string() }),
});

function page(extra: object) {
  return { count: 2, meta: { count: 2, page_count: 1, page_number: 1, page_size: 200 }, ...extra };
}

describe('createListReader', () => {
  it('walks results in order and takes each id from results, not from the object', () => {
    const { items, included } = readPage(
      page({
        results: [
          { key: 'user_group_memberships', id: '20' },
          { key: 'user_group_memberships', id: '10' },
        ],
        user_group_memberships: { '10': { user_id: '1' }, '20': { id: 'stale', user_id: '2' } },
        users: { '1': { full_name: 'Ann' } },
      }),
    );
    expect(items).toEqual([
      { id: '20', user_id: '2' },
      { id: '10', user_id: '1' },
    ]);
    expect(included.users.get('1')).toEqual({ id: '1', full_name: 'Ann' });
  });

  it('accepts a page with no results and no maps', () => {
    const { items, included } = readPage(page({ count: 0, results: [] }));
    expect(items).toEqual([]);
    expect(included.users.size).toBe(0);
  });

  it('names the failing path when an object does not match', () => {
    const call = () =>
      readPage(
        page({
          results: [{ key: 'user_group_memberships', id: '12' }],
          user_group_memberships: { '12': { user_id: 7 } },
        }),
      );
    expect(call).toThrow(/user_group_memberships\.12\.user_id/);
    try {
      call();
    } catch (error) {
      expect(isKantataError(error) && error.code).toBe('kantata_bad_response');
    }
  });

  it('refuses a result whose object is missing from the map', () => {
    expect(() =>
      readPage(page({ results: [{ key: 'user_group_memberships', id: '5' }], user_group_memberships: {} })),
    ).toThrow(/results\.0: user_group_memberships\.5/);
  });

  it('refuses a body without results', () => {
    expect(() => readPage({ errors: [] })).toThrow(/results/);
  });
});
