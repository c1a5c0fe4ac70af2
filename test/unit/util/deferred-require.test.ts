import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deferRequire } from '../../../src/util/deferred-require.js';

describe('deferRequire', () => {
  let dir: string;
  let require: NodeJS.Require;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'deferred-'));
    file = join(dir, 'lib.cjs');
    // Counts its own loads on globalThis: a second load would show.
    writeFileSync(
      file,
      [
        '"use strict";',
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'globalThis.__deferredLoads = (globalThis.__deferredLoads ?? 0) + 1;',
        'class Thing { hello() { return "hi"; } }',
        'exports.default = Thing;',
        'exports.answer = 42;',
      ].join('\n'),
    );
    require = createRequire(join(dir, 'index.cjs'));
    (globalThis as { __deferredLoads?: number }).__deferredLoads = 0;
  });

  afterEach(() => {
    delete require.cache[require.resolve(file)];
    rmSync(dir, { recursive: true, force: true });
  });

  const loads = () => (globalThis as { __deferredLoads?: number }).__deferredLoads;

  it('loads nothing until a property other than __esModule is read, then answers from the real module', () => {
    deferRequire(require, './lib.cjs');
    const lib = require('./lib.cjs') as {
      __esModule: boolean;
      default: new () => { hello(): string };
      answer: number;
    };
    expect(lib.__esModule).toBe(true);
    expect(loads()).toBe(0);
    expect(new lib.default().hello()).toBe('hi');
    expect(lib.answer).toBe(42);
    expect(loads()).toBe(1);
    // Later requires get the real module itself, loaded once.
    const again = require('./lib.cjs') as { default: unknown };
    expect(again.default).toBe(lib.default);
    expect(Object.keys(again)).toEqual(Object.keys(lib));
    expect('answer' in lib).toBe(true);
    expect(loads()).toBe(1);
  });

  it('leaves a module that is loaded already as it is', () => {
    const real = require('./lib.cjs') as object;
    deferRequire(require, './lib.cjs');
    expect(require('./lib.cjs')).toBe(real);
    expect(loads()).toBe(1);
  });
});
