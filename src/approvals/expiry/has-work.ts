/** The parts of a change that say whether applying it would do anything. */
export type WorkShape = {
  action: 'add' | 'remove' | 'sync';
  plan: {
    toChange: readonly unknown[];
    unchanged: readonly { id: string }[];
    toRemove?: readonly unknown[] | undefined;
  };
  currentEnds?: Record<string, string>;
};

/**
 * An add that changes nobody's membership may still move ends (SPEC §4.6): people already temporary get
 * the new end, or lose it when the add is permanent. Such a change has work to do and can be applied.
 */
export function movesEnds(change: WorkShape): boolean {
  const ends = change.currentEnds;
  return change.action === 'add' && ends !== undefined && change.plan.unchanged.some((u) => ends[u.id]);
}

/** Applying this change would change someone's membership or end. */
export function hasWork(change: WorkShape): boolean {
  return change.plan.toChange.length > 0 || (change.plan.toRemove?.length ?? 0) > 0 || movesEnds(change);
}
