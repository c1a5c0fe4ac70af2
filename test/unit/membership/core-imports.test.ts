import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '../../../src/membership');
const FORBIDDEN = [
  /^@slack\//,
  /^undici/,
  /^lowdb/,
  /^pg$/,
  /\/slack\//,
  /\/kantata\//,
  /\/store\//,
  /^node:/,
];

describe('the membership core', () => {
  it('imports nothing from Slack, HTTP, storage or Node (STYLE principle 1)', async () => {
    const files = (await readdir(CORE)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offences: string[] = [];
    for (const file of files) {
      const source = await readFile(join(CORE, file), 'utf8');
      for (const [, specifier] of source.matchAll(/from\s+'([^']+)'/g)) {
        if (FORBIDDEN.some((rule) => rule.test(specifier!))) offences.push(`${file} → ${specifier}`);
        if (specifier!.startsWith('.') && !specifier!.startsWith('./'))
          offences.push(`${file} → ${specifier}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
