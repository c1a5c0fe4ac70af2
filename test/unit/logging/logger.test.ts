import { describe, expect, it } from 'vitest';
import { KantataError } from '../../../src/kantata/kantata-error.js';
import { createLogger } from '../../../src/logging/logger.js';
import { AppError } from '../../../src/membership/errors.js';

describe('createLogger', () => {
  it('masks configured secrets and token shapes in messages, fields and errors', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      secrets: ['kantata-secret-123'],
      write: (l) => lines.push(l),
    });
    logger.error('call failed with kantata-secret-123', {
      header: 'Bearer kantata-secret-123',
      error: new Error('auth xoxb-1-2-abc failed for xapp-1-XYZ'),
    });
    const text = lines.join('\n');
    expect(text).not.toContain('kantata-secret-123');
    expect(text).not.toContain('xoxb-1-2-abc');
    expect(text).not.toContain('xapp-1-XYZ');
    expect(text).toContain('[redacted]');
  });

  it('drops lines under the level and keeps bound fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (l) => lines.push(l) }).child({ component: 'x' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'loud', component: 'x' });
  });
});

describe('createLogger never throws and keeps what matters', () => {
  const capture = (secrets: string[] = []) => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets, write: (l) => lines.push(l) });
    // biome-ignore lint/suspicious/noExplicitAny: log records are read loosely
    const last = (): any => JSON.parse(lines.at(-1)!);
    return { logger, lines, last };
  };

  it('logs a circular object, marking the cycle', () => {
    const { logger, last } = capture();
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;
    node.list = [node, { twin: 'b' }];

    expect(() => logger.error('circular', { node })).not.toThrow();
    expect(last().node).toEqual({ name: 'a', self: '[Circular]', list: ['[Circular]', { twin: 'b' }] });
  });

  it('logs a BigInt as its digits', () => {
    const { logger, last } = capture();
    expect(() => logger.info('big', { n: 12345678901234567890n, nested: { m: -1n } })).not.toThrow();
    expect(last()).toMatchObject({ n: '12345678901234567890', nested: { m: '-1' } });
  });

  it('truncates huge strings and long lists, and survives a getter that throws', () => {
    const { logger, last } = capture();
    const hostile = {
      get boom() {
        throw new Error('no reading me');
      },
    };
    logger.warn('huge', {
      text: 'x'.repeat(100_000),
      list: Array.from({ length: 1_000 }, (_, i) => i),
      hostile,
    });
    const record = last();
    expect(record.text.length).toBeLessThan(5_000);
    expect(record.text).toContain('96000 more characters');
    expect(record.list).toHaveLength(51);
    expect(record.list.at(-1)).toBe('[… 950 more]');
    expect(record.hostile.boom).toContain('no reading me');
  });

  it('keeps an error cause chain, codes and detail', () => {
    const { logger, last } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const middle = new AppError(
      'store_unavailable',
      'PostgreSQL is unavailable',
      { table: 'changes' },
      {
        cause: root,
      },
    );
    const top = new Error('approve failed', { cause: middle });

    logger.error('request failed', { error: top });
    const { error } = last();
    expect(error).toMatchObject({
      name: 'Error',
      message: 'approve failed',
      cause: {
        name: 'AppError',
        message: 'PostgreSQL is unavailable',
        code: 'store_unavailable',
        detail: { table: 'changes' },
        cause: { message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
      },
    });
    expect(error.stack).toContain('approve failed');
  });

  it('keeps a Kantata error status and path, with the token masked wherever it appears', () => {
    const token = 'kantata-token-0123456789';
    const { logger, lines, last } = capture([token]);
    const error = new KantataError('kantata_validation', `rejected Bearer ${token}`, {
      status: 422,
      kantataMessage: `user ${token} is invalid`,
      detail: { status: 422, method: 'POST', path: '/user_group_memberships', echoed: token },
      cause: new Error(`header authorization: ${token}`),
    });

    logger.error('kantata request failed', { error, [token]: 'as a key' });
    expect(lines.join('\n')).not.toContain(token);
    expect(last().error).toMatchObject({
      name: 'KantataError',
      code: 'kantata_validation',
      status: 422,
      detail: { status: 422, method: 'POST', path: '/user_group_memberships', echoed: '[redacted]' },
      cause: { message: 'header authorization: [redacted]' },
    });
  });

  it('does not throw when the sink fails', () => {
    const logger = createLogger({
      level: 'info',
      write: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });
    expect(() => logger.error('stderr is gone')).not.toThrow();
  });
});
