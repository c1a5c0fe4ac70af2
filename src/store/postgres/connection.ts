import pg from 'pg';
import { AppError } from '../../membership/errors.js';
import { afterAcks } from '../../util/acks-first.js';
import { scrubSecrets } from '../redact-url.js';

/** One statement on any connection of the pool; resolves after the Slack acknowledgements (below). */
export type Query = <R extends pg.QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<pg.QueryResult<R>>;
/** Runs `work` in one transaction on one connection: it commits whole or not at all. */
export type InTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

/**
 * The two ways the store's parts talk to PostgreSQL. What a query's answer leads to waits for the Slack
 * acknowledgements (see acks-first.ts): pg resolves a query from its socket's data callback, where new Slack
 * requests wait in the same poll phase. Failures become `asStoreError`s, never the URL.
 */
export function createConnection(pool: pg.Pool, url: string): { query: Query; inTransaction: InTransaction } {
  const query: Query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    let result: pg.QueryResult<R>;
    try {
      result = await pool.query<R>(text, values);
    } catch (error) {
      throw asStoreError(error, url);
    }
    await afterAcks();
    return result;
  };

  const inTransaction: InTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>) => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw asStoreError(error, url);
    }
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      await afterAcks();
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw asStoreError(error, url);
    } finally {
      client.release();
    }
  };

  return { query, inTransaction };
}

/**
 * Connection trouble becomes `store_unavailable` (the Slack side says "try again"); a refusal by the
 * database itself (constraint, bad input) is a fault of ours and keeps its own message. Never the URL.
 */
export function asStoreError(error: unknown, url: string): Error {
  if (error instanceof AppError) return error;
  const sqlState = (error as { code?: unknown }).code;
  const isDatabaseRefusal =
    error instanceof pg.DatabaseError && typeof sqlState === 'string' && !/^(08|53|57|58)/.test(sqlState);
  const message = scrubSecrets(error instanceof Error ? error.message : String(error), url);
  if (isDatabaseRefusal) return new Error(`PostgreSQL refused a store query: ${message}`, { cause: error });
  return new AppError('store_unavailable', `PostgreSQL is unavailable: ${message}`, {}, { cause: error });
}
