import { beforeEach, describe } from 'vitest';
import { type Fakes, useFakes, type WorldOptions } from './bot-process-world.js';
import { throwawayDatabases, withTestPostgres } from './test-postgres.js';

/**
 * `dbUrl`: the database the block's (with `databasePerTest`, the test's) bots share; `adminUrl`: the
 * server's own URL (TEST_POSTGRES_URL), e.g. to put a proxy in front of it.
 */
export type PostgresProcessWorld = Fakes & { dbUrl: string; adminUrl: string };

/**
 * A describe block for bot processes sharing one PostgreSQL store: a fresh database on TEST_POSTGRES_URL
 * (`source .ci/postgres.sh`) with a fake Kantata and a fake Slack, made before the tests (with
 * `databasePerTest`, a fresh database before each test), every bot process killed after each test, and
 * the fakes closed and every database dropped after the last. `world()` gives them from the first hook
 * on. Without TEST_POSTGRES_URL the block is skipped with a printed line, unless CI is set, where its
 * absence is a failure.
 */
export function describeOnPostgres(
  title: string,
  options: WorldOptions & { timeout: number; dbPrefix: string; databasePerTest?: boolean },
  body: (world: () => PostgresProcessWorld) => void,
): void {
  withTestPostgres(title, (adminUrl) => {
    describe(title, { timeout: options.timeout }, () => {
      const databases = throwawayDatabases(adminUrl, options.dbPrefix);
      let fakes: Fakes | undefined;
      let world: PostgresProcessWorld | undefined;
      const useNewDatabase = async () => {
        if (fakes) world = { ...fakes, adminUrl, dbUrl: await databases.create() };
      };

      useFakes(
        options,
        async (started) => {
          fakes = started;
          if (!options.databasePerTest) await useNewDatabase();
        },
        () => databases.dropAll(),
      );
      if (options.databasePerTest) beforeEach(useNewDatabase);

      body(() => {
        if (!world) throw new Error('describeOnPostgres: the world is made in beforeAll');
        return world;
      });
    });
  });
}
