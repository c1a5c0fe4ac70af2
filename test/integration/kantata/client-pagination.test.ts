import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KantataClient } from '../../../src/kantata/index.js';
import { type FakeKantata, startFakeKantata } from '../../fakes/fake-kantata/index.js';
import { clientFor } from './support.js';

type GroupsPage = {
  meta: { page_number: number };
  results: { id: string }[];
  workspace_groups: Record<string, { name: string }>;
};

describe('Kantata client paging and concurrency (over HTTP, fake Kantata)', () => {
  let fake: FakeKantata;
  let client: KantataClient | undefined;
  const names: string[] = [];

  beforeAll(async () => {
    fake = await startFakeKantata();
    // 1,000 groups = 5 pages of 200; zero-padded so Kantata's name order is easy to predict.
    for (let i = 1; i <= 1000; i += 1) names.push(fake.addGroup(`Group ${String(i).padStart(4, '0')}`).name);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fake.setLatency(0);
    fake.resetRequests();
  });
  afterAll(() => fake.close());

  it('fetches page 1, then pages 2-5 concurrently, and assembles them in page order', async () => {
    client = clientFor(fake, { concurrency: 4 });
    fake.setLatency(100);
    fake.resetRequests();

    const pages = (await client.getAllPages('/workspace_groups', {})) as GroupsPage[];

    expect(pages.map((p) => p.meta.page_number)).toEqual([1, 2, 3, 4, 5]);
    const got = pages.flatMap((p) => p.results.map((r) => p.workspace_groups[r.id]?.name));
    expect(got).toEqual(names);
    expect(fake.requests.map((r) => r.query)).toEqual(
      [1, 2, 3, 4, 5].map((page) => expect.objectContaining({ page: String(page), per_page: '200' })),
    );
    // Page 1 first, alone (it says how many pages there are)…
    expect(fake.requests[0]?.query.page).toBe('1');
    // …then pages 2-5 were in flight together: four at once, the client's limit.
    expect(fake.maxInFlight).toBe(4);
  });

  it('never has more requests in flight than its concurrency, even when asked for many at once', async () => {
    client = clientFor(fake, { concurrency: 2 });
    fake.setLatency(60);
    fake.resetRequests();
    const c = client;

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => c.get('/workspace_groups', { page: i + 1, per_page: 50 })),
    );

    expect(results).toHaveLength(10);
    expect(fake.requests).toHaveLength(10);
    expect(fake.maxInFlight).toBe(2);
  });

  it('keeps the limit across paging: 5 pages with concurrency 2 are still assembled in order', async () => {
    client = clientFor(fake, { concurrency: 2 });
    fake.setLatency(40);
    fake.resetRequests();

    const pages = (await client.getAllPages('/workspace_groups', {})) as GroupsPage[];

    expect(pages.flatMap((p) => p.results.map((r) => p.workspace_groups[r.id]?.name))).toEqual(names);
    expect(fake.maxInFlight).toBe(2);
  });

  it('streams pages in order with pages()', async () => {
    client = clientFor(fake, { concurrency: 3 });
    const seen: number[] = [];
    for await (const page of client.pages('/workspace_groups', { matching: 'group 0' })) {
      seen.push((page as GroupsPage).meta.page_number);
    }
    // "group 0" matches Group 0001 … Group 0999: 999 groups, 5 pages.
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('makes exactly one request for a single page and none past an empty first page', async () => {
    client = clientFor(fake);
    fake.resetRequests();
    const one = (await client.getAllPages('/workspace_groups', { matching: 'Group 0007' })) as GroupsPage[];
    const none = (await client.getAllPages('/workspace_groups', {
      matching: 'no such group',
    })) as GroupsPage[];
    expect(one.flatMap((p) => p.results)).toHaveLength(1);
    expect(none.flatMap((p) => p.results)).toHaveLength(0);
    expect(fake.requests).toHaveLength(2);
  });
});
