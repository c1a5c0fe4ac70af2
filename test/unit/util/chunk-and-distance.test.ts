import { describe, expect, it } from 'vitest';
import { chunk } from '../../../src/util/chunk.js';
import { editDistance } from '../../../src/util/edit-distance.js';

describe('chunk', () => {
  it('slices in order, the last slice shorter, and treats a size below 1 as 1', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(chunk([1, 2], 0)).toEqual([[1], [2]]);
  });
});

describe('editDistance', () => {
  it.each([
    ['design', 'design', 0],
    ['desgin', 'design', 1],
    ['memebrs', 'members', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('stops early above max and says max + 1, never less than the truth', () => {
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('ab', 'abcdef', 1)).toBe(2);
  });
});
