import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BOT_SLACK_TOKEN, killBotProcesses } from './bot-process.js';
import { type FakeKantata, startFakeKantata } from './fake-kantata/index.js';
import { type FakeSlack, startFakeSlack } from './fake-slack/index.js';

export type PostgresProcessWorld = { dbUrl: string; kantata: FakeKantata; slack: FakeSlack };

/**
 * A describe block for bot processes sharing one PostgreSQL store: a fresh database on TEST_POSTGRES_URL
 * (`source .ci/postgres.sh`) with a fake Kantata and a fake Slack, made before the tests (handed to `use`),
 * every bot process killed and the database dropped after the last. Without TEST_POSTGRES_URL the block is
 * skipped with a printed line, unless CI is set, where its absence is a failure.
 */
export function describeOnPostgres(
  title: string,
  options: { timeout: number; dbPrefix: string },
  body: (world: () => PostgresProcessWorld) => void,
): void {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) {
    const ci = process.env.CI;
    if (ci && ci !== 'false' && ci !== '0')
      throw new Error(`TEST_POSTGRES_URL is not set, but CI must run: ${title}`);
    console.warn(`${title}: SKIPPED, TEST_POSTGRES_URL is not set (\`source .ci/postgres.sh\`)`);
    describe.skip(`${title} (TEST_POSTGRES_URL not set)`, () => {
      it('needs a PostgreSQL server', () => undefined);
    });
    return;
  }
  describe(title, { timeout: options.timeout }, () => {
    const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
    // Dropping the database WITH (FORCE) can reach a client still closing; that 'error' is expected.
    admin.on('error', () => {});
    const dbName = `${options.dbPrefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    let world: PostgresProcessWorld | undefined;

    beforeAll(async () => {
      await admin.query(`CREATE DATABASE "${dbName}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      const [kantata, slack] = await Promise.all([
        startFakeKantata(),
        startFakeSlack({ botToken: BOT_SLACK_TOKEN }),
      ]);
      world = { dbUrl: url.toString(), kantata, slack };
    });

    afterAll(async () => {
      await killBotProcesses();
      await Promise.all([world?.kantata.close(), world?.slack.close()]);
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    });

    body(() => {
      if (!world) throw new Error('describeOnPostgres: the world is made in beforeAll');
      return world;
    });
  });
}
