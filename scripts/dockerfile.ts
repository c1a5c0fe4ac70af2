/** The instructions of a Dockerfile, as far as this repository's Dockerfile uses them. */
export type Instruction = { keyword: string; args: string; line: number };

/** Joins `\` continuations, drops comments and blank lines, splits keyword from arguments. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue;
      line = `${line.slice(0, -1)} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot read "${line}"`);
    out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start + 1 });
  }
  return out;
}

/** `["node","-e","…"]` (exec form) → its words; the shell form is refused (we never use it for CMD). */
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`expected the exec form ["…", …], got ${args}`);
  }
  return parsed;
}

/** `KEY=value KEY2=value2` (ENV), with simple double quotes. */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, key, quoted, bare] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) {
    env[key!] = quoted ?? bare ?? '';
  }
  return env;
}

/** A minimal .dockerignore: globs with `*` and `**`, `!` to include again; the last match wins. */
export function dockerignoreFilter(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const glob = include ? line.slice(1) : line;
      const source = glob
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*');
      return { include, pattern: new RegExp(`^${source}(/.*)?$`) };
    });
  return (path) => {
    let kept = true;
    for (const rule of rules) if (rule.pattern.test(path)) kept = rule.include;
    return kept;
  };
}
