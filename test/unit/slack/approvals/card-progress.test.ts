import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApprovalsContext } from '../../../../src/slack/approvals/approvals-context.js';
import { createCardProgress } from '../../../../src/slack/approvals/card-progress.js';
import { makeChange } from '../../../store/store-fixtures.js';

describe('approval card progress (through the one throttle)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws the approved card first, then at most one progress a second, and nothing after settled()', async () => {
    const drawn: string[] = [];
    const ctx = {
      logger: { info: () => {}, warn: () => {} },
      client: {
        chat: {
          update: async ({ blocks }: { blocks: unknown }) => {
            // Slack answers after a while: progress must still come after the approved card.
            await new Promise((resolve) => setTimeout(resolve, 1_500));
            drawn.push(JSON.stringify(blocks));
            return { ok: true };
          },
        },
      },
    } as unknown as ApprovalsContext;
    const change = makeChange({
      id: 'c1',
      status: 'approved',
      locations: { approvalChannel: 'C1', approvalTs: '1.2' },
    });
    const progress = createCardProgress(ctx);
    void progress.approved(change);
    for (let done = 100; done < 1000; done += 100) {
      progress.onProgress({ done, total: 1000 });
      await vi.advanceTimersByTimeAsync(400);
    }
    const settled = progress.settled();
    await vi.advanceTimersByTimeAsync(10_000);
    await settled;
    const shown = drawn.length;
    progress.onProgress({ done: 950, total: 1000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(drawn).toHaveLength(shown);
    expect(drawn[0]).not.toMatch(/ of /);
    // 3.6 s of batches with 1.5 s redraws: the approved card, then two progress redraws, never overlapping.
    expect(drawn.slice(1).map((t) => /Adding [0-9,]+ of 1,000/.test(t))).toEqual([true, true]);
  });
});
