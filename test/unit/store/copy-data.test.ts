import { describe, expect, it } from 'vitest';
import { copyData } from '../../../src/store/lowdb/copy-data.js';

describe('copyData', () => {
  it('copies plain data deeply: equal, and nothing shared with the original', () => {
    const original = {
      id: 'c1',
      plan: { toChange: [{ id: '1', name: 'Ann', email: 'ann@example.com' }], unresolved: [] },
      count: 3,
      done: false,
      missing: null,
      skipped: undefined,
    };
    const copy = copyData(original);
    expect(copy).toStrictEqual(original);
    expect(copy.plan).not.toBe(original.plan);
    expect(copy.plan.toChange[0]).not.toBe(original.plan.toChange[0]);
    copy.plan.toChange[0]!.name = 'changed';
    expect(original.plan.toChange[0]!.name).toBe('Ann');
  });

  it('keeps a "__proto__" key as a field, as JSON.parse made it, instead of setting a prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as Record<string, unknown>;
    const copy = copyData(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'name']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ admin: true });
  });

  it('gives values that are not plain data (a Date) the same copy structuredClone does', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const copy = copyData({ at });
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
  });
});
