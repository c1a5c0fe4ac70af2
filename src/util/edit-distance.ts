/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1
 * (`Desgin` is one step from `Design`). With `max`, stops as soon as the answer must exceed it and returns
 * `max + 1`: group lists hold thousands of names. The one edit distance of the code base.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // rows: distance between a[0..i) and b[0..j); three rows suffice for the swap rule.
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let previousMin = 0;
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current.push(d);
      if (d < rowMin) rowMin = d;
    }
    // Every later row is at least min(this row, the row before + 1): once that exceeds `max`, so does the end.
    if (Math.min(rowMin, previousMin + 1) > max) return max + 1;
    before = previous;
    previous = current;
    previousMin = rowMin;
  }
  return previous[b.length] ?? 0;
}
