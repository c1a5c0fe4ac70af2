import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKantataClient, type KantataClient } from '../../../src/kantata/index.js';
import { afterAcks } from '../../../src/util/acks-first.js';

describe('Kantata client slots and the acknowledgements first', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('frees its slot as the answer arrives: the next request goes out before the work waiting for the acks', async () => {
    // Work resumed after the poll phase (acks-first.ts) that takes a round each: 60 pieces of 3 ms.
    let piecesDone = 0;
    const pieces = Array.from({ length: 60 }, () =>
      afterAcks().then(() => {
        const until = performance.now() + 3;
        while (performance.now() < until) {
          // busy on purpose, as parsing a large Kantata page is
        }
        piecesDone += 1;
      }),
    );
    const seenAt: number[] = [];
    const server = createServer((req, res) => {
      seenAt.push(piecesDone);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"count":0,"results":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client: KantataClient = createKantataClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'slot-test-token',
      concurrency: 1,
      timeoutMs: 5_000,
    });
    closers.push(() => client.close());

    await Promise.all([client.get('/workspace_groups'), client.get('/workspace_groups')]);
    await Promise.all(pieces);
    expect(seenAt).toHaveLength(2);
    // The second request waited for the first's slot, not for the 60 rounds of work queued before its answer
    // was read: holding the slot through them cost a bulk change one round of work per request.
    expect(seenAt[1]! - seenAt[0]!).toBeLessThan(15);
  });
});
