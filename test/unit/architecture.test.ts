import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** Folders of the core: they know nothing of Slack, HTTP or storage (STYLE principle 1). */
const CORE_RULES: Record<string, RegExp[]> = {
  approvals: [
    /^@slack\//,
    /^undici/,
    /^lowdb/,
    /^pg$/,
    /\/slack\//,
    /\/kantata\//,
    /\/store\//,
    /^node:(http|https|net|fs)/,
    /^prom-client/,
  ],
  membership: [
    /^@slack\//,
    /^undici/,
    /^lowdb/,
    /^pg$/,
    /\/slack\//,
    /\/kantata\//,
    /\/store\//,
    /\/approvals\//,
    /^node:/,
    /^prom-client/,
  ],
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

describe('architecture', () => {
  it.each(Object.keys(CORE_RULES))('src/%s imports nothing of Slack, HTTP or storage', async (folder) => {
    const files = await sourceFiles(join(SRC, folder));
    expect(files.length).toBeGreaterThan(3);
    const offences: string[] = [];
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      for (const [, specifier] of source.matchAll(/from\s+'([^']+)'/g)) {
        if (CORE_RULES[folder]!.some((rule) => rule.test(specifier!))) {
          offences.push(`${relative(SRC, file)} → ${specifier}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('only src/main.ts and src/start-bot.ts know every folder', async () => {
    const files = await sourceFiles(SRC);
    const offences: string[] = [];
    for (const file of files) {
      const rel = relative(SRC, file);
      if (rel === 'main.ts' || rel === 'start-bot.ts' || rel.startsWith('cli/')) continue;
      const source = await readFile(file, 'utf8');
      const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      // The Kantata and store adapters are wired in by the composition root only.
      if (!rel.startsWith('kantata/') && imports.some((s) => /\/kantata\//.test(s)))
        offences.push(`${rel} → kantata`);
      if (!rel.startsWith('store/') && imports.some((s) => /\/store\//.test(s)))
        offences.push(`${rel} → store`);
    }
    expect(offences).toEqual([]);
  });

  it('only src/operations knows prom-client (the rest reports through seams)', async () => {
    const files = await sourceFiles(SRC);
    const offences: string[] = [];
    for (const file of files) {
      const rel = relative(SRC, file);
      if (rel.startsWith('operations/')) continue;
      const source = await readFile(file, 'utf8');
      if (/from\s+'prom-client'|import\('prom-client'\)/.test(source)) offences.push(rel);
    }
    expect(offences).toEqual([]);
  });
});
