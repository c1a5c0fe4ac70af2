import { describe, expect, it } from 'vitest';
import { createHomeQueue } from '../../../../src/slack/home/home-queue.js';

describe('the Home publish queue', () => {
  it('publishes one at a time, once per person however often asked, and the just-opened first', async () => {
    let inFlight = 0;
    let most = 0;
    const published: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const queue = createHomeQueue({
      publish: async (id) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (published.length === 0) await gate;
        await new Promise((r) => setTimeout(r, 1));
        published.push(id);
        inFlight -= 1;
      },
      onError: () => undefined,
    });
    queue.request(['a']);
    for (let i = 0; i < 50; i++) queue.request(['b', 'c', 'd']);
    queue.request(['z'], { first: true });
    expect(queue.waiting).toBe(4);
    release();
    await queue.idle();
    expect(most).toBe(1);
    expect(published).toEqual(['a', 'z', 'b', 'c', 'd']);
  });

  it('a failed publish is reported and the others still go out', async () => {
    const errors: string[] = [];
    const published: string[] = [];
    const queue = createHomeQueue({
      publish: async (id) => {
        if (id === 'bad') throw new Error('views.publish failed');
        published.push(id);
      },
      onError: (id) => errors.push(id),
    });
    queue.request(['bad', 'ok']);
    await queue.idle();
    expect(errors).toEqual(['bad']);
    expect(published).toEqual(['ok']);
  });
});
