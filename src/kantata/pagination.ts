import type { KantataQuery } from './kantata-query.js';
import { pageMetaSchema, parseKantataBody } from './list-reader.js';

/** Kantata's maximum page size; fewer, larger pages mean fewer requests. */
export const PER_PAGE = 200;

type GetPage = (path: string, query: KantataQuery) => Promise<unknown>;

/**
 * Yields the pages of a list in order: page 1 first (it tells `meta.page_count`), then pages 2..N fetched
 * concurrently, at most `ahead` of them requested before the consumer has taken the earlier ones (memory
 * stays flat for large lists; the client's limiter bounds the requests in flight anyway).
 */
export async function* iteratePages(
  getPage: GetPage,
  path: string,
  query: KantataQuery,
  ahead: number,
): AsyncGenerator<unknown, void, undefined> {
  const base = { per_page: PER_PAGE, ...query };
  const first = await getPage(path, { ...base, page: 1 });
  const pageCount = parseKantataBody(pageMetaSchema, first).meta.page_count;
  yield first;

  const pending = new Map<number, Promise<unknown>>();
  let next = 2;
  const fill = () => {
    while (next <= pageCount && pending.size < ahead) {
      const promise = getPage(path, { ...base, page: next });
      // Failures are rethrown when the page's turn comes; this stops an unhandled rejection if the
      // consumer stops early or an earlier page fails first.
      promise.catch(() => undefined);
      pending.set(next, promise);
      next += 1;
    }
  };
  for (let page = 2; page <= pageCount; page += 1) {
    fill();
    const body = await (pending.get(page) as Promise<unknown>);
    pending.delete(page);
    fill();
    yield body;
  }
}

/** All pages of a list, in page order (pages 2..N all requested at once, within the limiter). */
export async function collectPages(getPage: GetPage, path: string, query: KantataQuery): Promise<unknown[]> {
  const pages: unknown[] = [];
  for await (const page of iteratePages(getPage, path, query, Number.POSITIVE_INFINITY)) pages.push(page);
  return pages;
}
