import { describe, expect, it } from 'vitest';
import { afterAcks } from '../../../src/util/acks-first.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // A synchronous piece of work longer than a round's budget.
  }
}

describe('work after acks', () => {
  it('resumes every piece of waiting work, in the order it started waiting', async () => {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) => afterAcks().then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('runs nothing before the poll phase of this turn of the loop, and the rest of a round past its budget after the next one', async () => {
    const order: string[] = [];
    const first = afterAcks().then(() => {
      order.push('first');
      busy(5);
    });
    const second = afterAcks().then(() => order.push('second'));
    // I/O completed meanwhile (here a timer: it runs before the next check phase, as I/O callbacks do).
    setTimeout(() => order.push('other callback'), 0);
    order.push('now');
    await Promise.all([first, second]);
    expect(order).toEqual(['now', 'first', 'other callback', 'second']);
  });
});
