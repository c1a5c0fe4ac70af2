import type { Clock } from '../../src/approvals/ports.js';

/** A clock tests move by hand: expiry, undo windows and caches without waiting. */
export type TestClock = Clock & { advance(ms: number): void; set(date: Date | string): void };

export function createTestClock(start: Date | string = new Date()): TestClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (date) => {
      now = new Date(date).getTime();
    },
  };
}

/** A clock that follows real time, shifted by however far the test has advanced it. */
export function createShiftedClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    set: (date) => {
      offset = new Date(date).getTime() - Date.now();
    },
  };
}
