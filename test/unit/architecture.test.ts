import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Relative imports of every file, type-only ones and re-exports included (a circle of types is one too). */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles(SRC)) {
    const source = await readFile(file, 'utf8');
    const targets = [...source.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) =>
      resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** Every import circle, each as the files on it (found by depth-first search, each reported once). */
function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        const circle = path.slice(path.indexOf(next)).map((f) => relative(SRC, f));
        found.set([...circle].sort().join(' '), circle);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

/**
 * Circles allowed to stay for now (none: those of the time-bound work are broken too). Any circle not
 * listed fails the test; a circle that has to be tolerated for a while is listed here with its reason.
 */
const KNOWN: readonly string[] = [];

describe('imports', () => {
  it('have no new circles, type-only imports included', async () => {
    const found = circles(await importGraph()).map((c) => [...c].sort().join(' '));
    expect(found.filter((c) => !KNOWN.includes(c))).toEqual([]);
  });

  it('the change service, its steps and undo, and the Kantata client and its pagination are no circle', async () => {
    const found = circles(await importGraph()).flat();
    for (const file of [
      'approvals/change-service.ts',
      'approvals/undo.ts',
      'kantata/kantata-client.ts',
      'kantata/pagination.ts',
    ]) {
      expect(found).not.toContain(file);
    }
  });
});
