/**
 * The container files, checked without Docker: compose.yaml is valid YAML whose bot service names every
 * variable the bot refuses to start without and uses the PostgreSQL service it waits for; the Dockerfile
 * is multi-stage, runs as a non-root user with data/ as a volume, checks /healthz and starts node itself.
 * `npm run container:check` carries out the Dockerfile's steps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { execForm, parseDockerfile } from '../../../scripts/dockerfile.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const REPO = join(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

type Service = {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  healthcheck?: { test: string[] };
};

/** The variables a bot with no configuration at all names as missing. */
function requiredVariables(): string[] {
  try {
    loadConfig({});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.split(' ')[0]!);
    throw error;
  }
  throw new Error('an empty configuration was accepted');
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as { services: Record<string, Service>; volumes: object };
  const bot = compose.services.bot!;
  const postgres = compose.services.postgres!;

  it('is YAML with the bot (built here) and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'postgres']);
    expect(bot.build).toBe('.');
    expect(postgres.image).toMatch(/^postgres:\d+/);
  });

  it('names every variable the bot requires, each failing loudly when unset', () => {
    const required = requiredVariables();
    expect(required).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN',
        'KANTATA_API_TOKEN',
        'NOTIFY_CHANNEL_ID',
        'SLACK_SIGNING_SECRET',
      ]),
    );
    for (const name of required) expect(Object.keys(bot.environment ?? {})).toContain(name);
    for (const name of ['SLACK_BOT_TOKEN', 'KANTATA_API_TOKEN', 'NOTIFY_CHANNEL_ID']) {
      expect(bot.environment?.[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?.+\\}$`));
    }
    // HTTP mode or Socket Mode: one of the two, passed through.
    expect(bot.environment?.SLACK_APP_TOKEN).toMatch(/^\$\{SLACK_APP_TOKEN:-\}$/);
  });

  it('stores in its PostgreSQL, started first and healthy, and serves metrics on the compose network', () => {
    expect(bot.environment?.STORE_URL).toMatch(
      /^postgres:\/\/groups:\$\{POSTGRES_PASSWORD:\?.+\}@postgres:5432\/groups$/,
    );
    expect(postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(bot.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(bot.environment?.METRICS_PORT).toBe('9464');
    expect(bot.volumes).toContain('bot-data:/app/data');
    expect(Object.keys(compose.volumes).sort()).toEqual(['bot-data', 'postgres-data']);
  });
});

describe('Dockerfile', () => {
  const steps = parseDockerfile(read('Dockerfile'));
  const stages = steps.filter((s) => s.keyword === 'FROM');
  const final = steps.slice(steps.lastIndexOf(stages.at(-1)!));

  it('builds in one stage and runs from a slim one that has no sources', () => {
    expect(stages.map((s) => s.args)).toEqual([
      expect.stringMatching(/-slim AS build$/),
      expect.stringMatching(/-slim AS runtime$/),
    ]);
    const copies = final.filter((s) => s.keyword === 'COPY').map((s) => s.args);
    expect(copies.every((args) => args.startsWith('--from=build'))).toBe(true);
    expect(copies.some((args) => / \/app\/src /.test(args))).toBe(false);
  });

  it('runs as a non-root user with data/ as a volume, checks /healthz, and starts node itself', () => {
    const one = (keyword: string) => final.filter((s) => s.keyword === keyword).map((s) => s.args);
    expect(one('USER')).toEqual(['node']);
    expect(one('VOLUME').flatMap(execForm)).toEqual(['/app/data']);
    expect(one('HEALTHCHECK')[0]).toContain('/healthz');
    const [cmd] = one('CMD');
    expect(execForm(cmd!)[0]).toBe('node');
    expect(execForm(cmd!).at(-1)).toBe('dist/main.js');
    expect(one('ENV').join(' ')).toContain('STORE_URL=file:/app/data/store.json');
  });
});
