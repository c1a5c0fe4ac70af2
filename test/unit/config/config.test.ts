import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  KANTATA_API_TOKEN: 'kantata-secret-token',
  NOTIFY_CHANNEL_ID: 'C0NOTIFY',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('keeps two Socket Mode connections and waits 30 s for a drain unless told otherwise', () => {
    const config = loadConfig(minimal);
    expect(config.slack.socketConnections).toBe(2);
    expect(config.shutdownTimeoutMs).toBe(30_000);
    const tuned = loadConfig({ ...minimal, SOCKET_CONNECTIONS: '4', SHUTDOWN_TIMEOUT: '2m' });
    expect(tuned.slack.socketConnections).toBe(4);
    expect(tuned.shutdownTimeoutMs).toBe(120_000);
    expect(problemsOf({ ...minimal, SOCKET_CONNECTIONS: '11' })[0]).toContain('SOCKET_CONNECTIONS');
    expect(problemsOf({ ...minimal, SOCKET_CONNECTIONS: '0' })[0]).toContain('SOCKET_CONNECTIONS');
    expect(problemsOf({ ...minimal, SHUTDOWN_TIMEOUT: '30' })[0]).toContain('SHUTDOWN_TIMEOUT');
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.kantata.baseUrl).toBe('https://api.mavenlink.com/api/v1');
    expect(config.kantata.concurrency).toBe(4);
    expect(config.slack.port).toBe(3000);
    expect(config.approvalsChannelId).toBe('C0NOTIFY');
    expect(config.approvalPolicy).toBe('admins-direct');
    expect(config.requestTtlMs).toBe(7 * 86_400_000);
    expect(config.undoWindowMs).toBe(15 * 60_000);
    expect(config.maxPeoplePerChange).toBe(1000);
    expect(config.identityEmailDomains).toEqual([]);
    expect(config.storeUrl).toBe('file:./data/store.json');
    expect(config.logLevel).toBe('info');
    expect(config.slack.appToken).toBeUndefined();
  });

  it('reports every problem at once, by name, never by value', () => {
    const env = {
      SLACK_BOT_TOKEN: 'not-a-bot-token-SECRET1',
      KANTATA_API_TOKEN: '',
      NOTIFY_CHANNEL_ID: '#general',
      KANTATA_CONCURRENCY: 'many',
      REQUEST_TTL: '7',
      APPROVAL_POLICY: 'anyone-SECRET2',
      STORE_URL: 'mysql://x',
    };
    const problems = problemsOf(env);
    const text = problems.join('\n');
    for (const name of [
      'SLACK_BOT_TOKEN',
      'KANTATA_API_TOKEN',
      'NOTIFY_CHANNEL_ID',
      'KANTATA_CONCURRENCY',
      'REQUEST_TTL',
      'APPROVAL_POLICY',
      'STORE_URL',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('SECRET1');
    expect(text).not.toContain('SECRET2');
    expect(text).not.toContain('#general');
  });

  it('names each missing variable when the environment is empty', () => {
    const text = problemsOf({}).join('\n');
    for (const name of [
      'SLACK_BOT_TOKEN',
      'KANTATA_API_TOKEN',
      'NOTIFY_CHANNEL_ID',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('treats empty strings as unset instead of coercing them to 0 or false', () => {
    const config = loadConfig({ ...minimal, PORT: '', KANTATA_CONCURRENCY: '', MAX_PEOPLE_PER_CHANGE: ' ' });
    expect(config.slack.port).toBe(3000);
    expect(config.kantata.concurrency).toBe(4);
    expect(config.maxPeoplePerChange).toBe(1000);
  });

  it('refuses numbers out of range and non-integers', () => {
    expect(problemsOf({ ...minimal, KANTATA_CONCURRENCY: '0' }).join()).toContain('KANTATA_CONCURRENCY');
    expect(problemsOf({ ...minimal, PORT: '3000.5' }).join()).toContain('PORT');
    expect(problemsOf({ ...minimal, MAX_PEOPLE_PER_CHANGE: '-1' }).join()).toContain('MAX_PEOPLE_PER_CHANGE');
  });

  it('runs in Socket Mode without a signing secret', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...rest } = minimal;
    const config = loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.slack.appToken).toBe('xapp-1-abc');
  });

  it('reads policies, durations, domains and store URLs', () => {
    const config = loadConfig({
      ...minimal,
      APPROVALS_CHANNEL_ID: 'C0APPROVE',
      APPROVAL_POLICY: 'Four-Eyes',
      REQUEST_TTL: '36h',
      UNDO_WINDOW: '1h30m',
      IDENTITY_EMAIL_DOMAINS: 'Example.com, @corp.example.org',
      STORE_URL: 'postgres://bot@127.0.0.1/groups',
      KANTATA_BASE_URL: 'http://127.0.0.1:9999/api/v1/',
      LOG_LEVEL: 'debug',
    });
    expect(config.approvalsChannelId).toBe('C0APPROVE');
    expect(config.approvalPolicy).toBe('four-eyes');
    expect(config.requestTtlMs).toBe(36 * 3_600_000);
    expect(config.undoWindowMs).toBe(90 * 60_000);
    expect(config.identityEmailDomains).toEqual(['example.com', 'corp.example.org']);
    expect(config.storeUrl).toBe('postgres://bot@127.0.0.1/groups');
    expect(config.kantata.baseUrl).toBe('http://127.0.0.1:9999/api/v1');
    expect(config.logLevel).toBe('debug');
  });
});

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000],
    ['36h', 129_600_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    [' 90s ', 90_000],
    ['2w', 1_209_600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '7', 'seven days', '-5m', '0m', '5 minutes', '1y'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('formats durations back', () => {
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(36 * 3_600_000)).toBe('36h');
  });
});
