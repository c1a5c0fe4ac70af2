import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED_QUERY_PARAMS } from '../../fakes/fake-kantata/index.js';

const SPEC_PATH = path.resolve(process.cwd(), '../shared/kantata/kantata-ox-swagger2-excerpt.yml');

/**
 * Query parameter names per `METHOD /path`, read from the Swagger excerpt with plain line matching (its
 * layout is fixed: paths at 2 spaces, methods at 4, `- in: query` at 6, `name:` at 8).
 */
function readSpec(yaml: string): { params: Map<string, Set<string>>; operations: Set<string> } {
  const found = new Map<string, Set<string>>();
  const operations = new Set<string>();
  let inPaths = false;
  let currentPath: string | undefined;
  let currentMethod: string | undefined;
  let inQuery = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) inPaths = line.startsWith('paths:');
    if (!inPaths) continue;
    const pathMatch = /^ {2}"?(\/[^":]*)"?:\s*$/.exec(line);
    if (pathMatch) {
      currentPath = pathMatch[1];
      currentMethod = undefined;
      continue;
    }
    const methodMatch = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (methodMatch) {
      currentMethod = methodMatch[1]?.toUpperCase();
      if (currentPath) operations.add(`${currentMethod} ${currentPath}`);
      continue;
    }
    const inMatch = /^ {6}- in: (\w+)/.exec(line);
    if (inMatch) {
      inQuery = inMatch[1] === 'query';
      continue;
    }
    const nameMatch = /^ {8}name: (\S+)/.exec(line);
    if (nameMatch && inQuery && currentPath && currentMethod) {
      const key = `${currentMethod} ${currentPath}`;
      const names = found.get(key) ?? new Set<string>();
      names.add(nameMatch[1] as string);
      found.set(key, names);
    }
  }
  return { params: found, operations };
}

const specExists = existsSync(SPEC_PATH);

describe('fake Kantata query allow-lists', () => {
  if (!specExists) {
    const reason = `spec excerpt not found at ${SPEC_PATH}`;
    console.warn(`fake-kantata allow-list check skipped: ${reason}`);
    it.skip(`match the official spec (skipped: ${reason})`, () => undefined);
    return;
  }

  it('accept only parameters the official spec documents for each path', () => {
    const { params } = readSpec(readFileSync(SPEC_PATH, 'utf8'));
    // Sanity: the parser found the paths (so an empty result cannot pass silently).
    expect(params.get('GET /user_group_memberships')).toContain('group_ids');
    expect(params.get('GET /users')).toContain('by_email_addresses');

    for (const [route, allowed] of Object.entries(ALLOWED_QUERY_PARAMS)) {
      const inSpec = params.get(route) ?? new Set<string>();
      const undocumented = (allowed as readonly string[]).filter((name) => !inSpec.has(name));
      expect({ route, undocumented }).toEqual({ route, undocumented: [] });
    }
  });

  it('serve only operations the spec defines', () => {
    const { operations } = readSpec(readFileSync(SPEC_PATH, 'utf8'));
    for (const route of Object.keys(ALLOWED_QUERY_PARAMS)) expect(operations).toContain(route);
  });
});
