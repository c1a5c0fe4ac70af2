import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.js';

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
