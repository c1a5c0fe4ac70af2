/**
 * The second half of `npm run build` (after `tsc -p tsconfig.build.json` has type-checked the sources):
 * the bot's own code, from `src/`, as a few ES modules in `dist/` — `dist/main.js` (npm start),
 * `dist/cli/audit-export.js` (npm run audit:export), the code they share, and one chunk per thing that is
 * loaded only when used (the PostgreSQL store and directory with `pg`). Packages are not bundled: they load
 * from node_modules as installed, exactly as before.
 *
 * Why a bundle rather than tsc's file-for-file output: Node 20 loads each ES module separately (reads the
 * file, resolves every import, compiles it, reads its source map): roughly 0.5 ms per module, and the bot is
 * ~270 of them, a third or more of a start. Measured on this machine, 16 alternating starts of the same
 * sources each (bench/README.md, "Start"): tsc's output median 639 ms to `/readyz` 200, this bundle 444 ms.
 * Everything else that was tried is done as well (a start loads only what its configuration uses) and got
 * 711 → 639 ms alone: not enough for the target of 500 ms with any margin (the team's CI machine measured
 * 567–625 ms before), and nothing else was left but merging source files by hand. What stays the same:
 * the same sources and packages, the same ES module semantics (esbuild keeps the evaluation order and
 * dynamic `import()`s), stack traces through source maps pointing into `src/` (`--enable-source-maps`). esbuild
 * is the one tsx already brings for `npm run dev` and the tests; it is a devDependency of its own so that the
 * build does not hang on tsx's choice.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(REPO, 'dist');
/** tsc's incremental state lives in dist/ too; kept, so that the type check stays incremental. */
const KEEP = new Set(['.tsbuildinfo']);

export async function bundle(): Promise<void> {
  // Whatever an earlier build left (tsc's per-file output included) must not be loaded by mistake.
  mkdirSync(DIST, { recursive: true });
  for (const entry of readdirSync(DIST, { withFileTypes: true }).filter((e) => !KEEP.has(e.name))) {
    rmSync(join(DIST, entry.name), { recursive: true, force: true });
  }
  await build({
    absWorkingDir: REPO,
    entryPoints: { main: 'src/main.ts', 'cli/audit-export': 'src/cli/audit-export.ts' },
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // The maps only have to map; the sources are in src/. Without them a map is a third of the size,
    // and Node parses every map it finds at load with --enable-source-maps.
    sourcesContent: false,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundle().catch((error: unknown) => {
    process.stderr.write(`bundle failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
