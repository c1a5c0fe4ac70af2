import { describe, expect, it } from 'vitest';
import { suggestNames } from '../../../src/membership/suggest.js';
import { editDistance } from '../../../src/util/edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('design', 'design')).toBe(0);
    expect(editDistance('desgin', 'design')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops early past the limit', () => {
    expect(editDistance('a', 'completely different', 2)).toBe(3);
  });
});

describe('suggestNames', () => {
  const names = [
    'Design Team',
    'Design Ops',
    'Engineering',
    'Finance',
    'Product Design',
    'Sales',
    'Desk Booking',
  ];

  it('lists prefix matches first, then names containing the query, then typos', () => {
    expect(suggestNames('design', names)).toEqual(['Design Ops', 'Design Team', 'Product Design']);
    expect(suggestNames('Desgin Team', names)[0]).toBe('Design Team');
  });

  it('ignores case and extra whitespace', () => {
    expect(suggestNames('  DESIGN   team ', names)).toEqual(['Design Team']);
  });

  it('returns at most the limit, and nothing for an empty query or a far-off name', () => {
    const many = Array.from({ length: 20 }, (_, i) => `Team ${i}`);
    expect(suggestNames('team', many)).toHaveLength(5);
    expect(suggestNames('', names)).toEqual([]);
    expect(suggestNames('zzzzzzzzzz', names)).toEqual([]);
  });

  it('matches a typo in one word of a longer name', () => {
    expect(suggestNames('enginering', names)).toEqual(['Engineering']);
    expect(suggestNames('finanse', names)).toEqual(['Finance']);
  });
});
