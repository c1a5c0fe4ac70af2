import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../../src/slack/text/format-count.js';
import { formatQuantity, pluralize } from '../../../../src/slack/text/pluralize.js';
import { progressBar } from '../../../../src/slack/text/progress-bar.js';
import { truncateText } from '../../../../src/slack/text/truncate-text.js';

describe('truncateText', () => {
  it('keeps text that fits', () => {
    expect(truncateText('hello', 5)).toBe('hello');
    expect(truncateText('', 0)).toBe('');
  });

  it('cuts with an ellipsis within the limit', () => {
    const out = truncateText('hello world', 8);
    expect(out).toBe('hello w…');
    expect(out.length).toBe(8);
  });

  it('never splits a surrogate pair', () => {
    const text = 'ab😀cd';
    // 'ab' + high + low + 'cd'; a cut after the high surrogate must drop the whole emoji.
    const out = truncateText(text, 4);
    expect(out).toBe('ab…');
    expect(isWellFormed(out)).toBe(true);
    expect(truncateText(text, 5)).toBe('ab😀…');
  });

  it('is well formed for every limit over a string of emoji', () => {
    const text = '😀'.repeat(20);
    for (let max = 0; max <= 42; max++) {
      const out = truncateText(text, max);
      expect(isWellFormed(out)).toBe(true);
      expect(out.length).toBeLessThanOrEqual(Math.max(0, max));
    }
  });

  it('handles silly limits', () => {
    expect(truncateText('hello', 1)).toBe('…');
    expect(truncateText('hello', 0)).toBe('');
    expect(truncateText('hello', -3)).toBe('');
    expect(truncateText('hello', Number.NaN)).toBe('');
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-1500, '-1,500'],
    [Number.NaN, 'NaN'],
  ])('%d → %s', (n, expected) => {
    expect(formatCount(n)).toBe(expected);
  });
});

describe('progressBar', () => {
  it.each([
    [400, 1000, 10, '▓▓▓▓░░░░░░'],
    [0, 1000, 10, '░░░░░░░░░░'],
    [999, 1000, 10, '▓▓▓▓▓▓▓▓▓░'],
    [1000, 1000, 10, '▓▓▓▓▓▓▓▓▓▓'],
    [5, 0, 4, '▓▓▓▓'],
    [2000, 1000, 5, '▓▓▓▓▓'],
    [-5, 10, 5, '░░░░░'],
    [Number.NaN, 10, 3, '░░░'],
    [1, Number.NaN, 3, '░░░'],
  ])('progressBar(%d, %d, %d) → %s', (done, total, width, expected) => {
    expect(progressBar(done, total, width)).toBe(expected);
  });

  it('defaults to ten cells and caps runaway widths', () => {
    expect(progressBar(1, 2)).toHaveLength(10);
    expect(progressBar(1, 2, 1e9)).toHaveLength(100);
    expect(progressBar(1, 2, -1)).toBe('');
  });
});

describe('pluralize and formatQuantity', () => {
  it('picks the word by count', () => {
    expect(pluralize(1, 'person', 'people')).toBe('person');
    expect(pluralize(0, 'person', 'people')).toBe('people');
    expect(pluralize(2, 'person', 'people')).toBe('people');
    expect(formatQuantity(1000, 'person', 'people')).toBe('1,000 people');
    expect(formatQuantity(1, 'group', 'groups')).toBe('1 group');
  });
});

// String.prototype.isWellFormed is ES2024, beyond this project's lib setting.
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
