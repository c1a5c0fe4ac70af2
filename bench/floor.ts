import { Agent, request } from 'undici';
import { PER_POST, PER_REQUEST } from './bounds.js';
import type { BenchWorld } from './world.js';

/**
 * The floor: exactly the requests a bound counts, sent by a bare client (no parsing beyond JSON, no
 * store, no Slack) `concurrency` at a time against the same fake Kantata at the same latency. The bound
 * takes the fake and the machine as free; the floor does not, so `wall / floor` is the bot's own
 * overhead and `floor / bound` is what the fake and this machine add.
 */
export type Floors = { applyAddMs: number; membersMs: number };

/** The median of three measurements of each floor. */
export async function measureFloors(args: FloorArgs): Promise<Floors> {
  const runs: Floors[] = [];
  for (let i = 0; i < 3; i += 1) runs.push(await measureFloorsOnce(args, i));
  const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
  return {
    applyAddMs: median(runs.map((r) => r.applyAddMs)),
    membersMs: median(runs.map((r) => r.membersMs)),
  };
}

type FloorArgs = {
  world: BenchWorld;
  n: number;
  membersGroup: { id: string; name: string };
  membersSize: number;
  concurrency: number;
  latencyMs: number;
};

async function measureFloorsOnce(args: FloorArgs, attempt: number): Promise<Floors> {
  const { world, concurrency } = args;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: concurrency });
  const headers = { authorization: `Bearer ${world.kantata.token}`, 'content-type': 'application/json' };
  const call = async (path: string, body?: unknown) => {
    const response = await request(`${world.kantata.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      dispatcher,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.body.json();
    if (response.statusCode !== 200) throw new Error(`floor: ${path} answered ${response.statusCode}`);
  };
  world.kantata.setLatency(args.latencyMs);
  try {
    const group = world.addGroup(`floor-${args.n}-${attempt}`);
    const ids = world.kantataIds(args.n);
    let started = performance.now();
    await inRounds(chunk(ids, PER_REQUEST), concurrency, (part) =>
      call(
        `/user_group_memberships?group_ids=${group.id}&user_ids=${part.join(',')}&include=user&per_page=200`,
      ),
    );
    await inRounds(chunk(ids, PER_POST), concurrency, (part) =>
      call('/user_group_memberships', {
        user_group_memberships: part.map((id) => ({
          user_id: Number(id),
          workspace_group_id: Number(group.id),
        })),
      }),
    );
    const applyAddMs = performance.now() - started;

    const { id, name } = args.membersGroup;
    const pages = Math.max(1, Math.ceil(args.membersSize / PER_REQUEST));
    const page = (p: number) =>
      call(`/user_group_memberships?group_ids=${id}&include=user&per_page=200&page=${p}`);
    started = performance.now();
    await call(`/workspace_groups?matching=${encodeURIComponent(name)}&per_page=200&page=1`);
    await page(1);
    await inRounds(
      Array.from({ length: pages - 1 }, (_, i) => i + 2),
      concurrency,
      page,
    );
    return { applyAddMs, membersMs: performance.now() - started };
  } finally {
    await dispatcher.close();
  }
}

/** Runs `work` over the items with `concurrency` in flight. */
async function inRounds<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
