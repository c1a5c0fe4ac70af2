/**
 * The PostgreSQL server the tests may use: TEST_POSTGRES_URL (`source .ci/postgres.sh` starts a throwaway
 * one), where this user may CREATE DATABASE. Every test file works in databases of its own, dropped at the
 * end, so runs and files never interfere.
 */
import pg from 'pg';
import { describe, it } from 'vitest';

/**
 * Calls `describeIt` with the server's URL when TEST_POSTGRES_URL is set. Without it, says on the console
 * that `what` is skipped and registers a skipped block in its place; under CI its absence is a failure.
 */
export function withTestPostgres(what: string, describeIt: (adminUrl: string) => void): void {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (adminUrl) {
    describeIt(adminUrl);
    return;
  }
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') {
    throw new Error(
      `TEST_POSTGRES_URL is not set, but CI must run ${what}: \`source .ci/postgres.sh\` in .ci/run`,
    );
  }
  console.warn(`${what} SKIPPED: TEST_POSTGRES_URL is not set (\`source .ci/postgres.sh\`)`);
  describe.skip(`${what} (TEST_POSTGRES_URL not set)`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
}

export type ThrowawayDatabases = {
  /** Makes a new, empty database named `<prefix>_<pid>_<random>` and returns its URL. */
  create(): Promise<string>;
  /** Drops every database `create` made (WITH (FORCE): sessions still open are ended) and closes the pool. */
  dropAll(): Promise<void>;
};

export function throwawayDatabases(adminUrl: string, prefix: string): ThrowawayDatabases {
  const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
  // Dropping a database WITH (FORCE) can reach a client still closing; that 'error' is expected.
  admin.on('error', () => {});
  const created: string[] = [];
  return {
    async create() {
      const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropAll() {
      for (const name of created.splice(0))
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
