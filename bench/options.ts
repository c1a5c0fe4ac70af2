/** What `npm run bench` measures and at which sizes (SPEC §8; `--quick` is the CI smoke version). */
export type BenchOptions = {
  quick: boolean;
  /** Print one JSON object on the last line. */
  json: boolean;
  help: boolean;
  /** Only phase 6, "a year of history" (with its ack and start figures). */
  yearOnly: boolean;
  /** Only phase 8, "1,000 memberships end at once". */
  expiryOnly: boolean;
  /** Only phase 9, "sync a 5,000-person user group into a 4,000-member group". */
  syncOnly: boolean;
  /** Only phase 7, "after a restart". */
  restartOnly: boolean;
  /** KANTATA_CONCURRENCY given to the bot (SPEC §6 default). */
  concurrency: number;
  /** `runs`: each ack figure is the median of this many runs (see `summarizeRuns` in scenario-ack.ts). */
  ack: { requests: number; inFlight: number; latencyMs: number; runs: number };
  bulk: {
    /** People in the headline bulk add (by email, then by mention). */
    n: number;
    latencyMs: number;
    /** Slack workspace size for the mention run. */
    workspace: number;
    /** Growth run sizes; the one equal to `n` reuses the headline measurement. */
    scale: number[];
  };
  members: { size: number; latencyMs: number };
};

export const USAGE = `Usage: npm run bench -- [--quick] [--json]

  --quick   small smoke version (100 acks, N=100, 500-member group); well under 30 s
  --json    also print one JSON object with every figure on the last line
  --year    only phase 6, "a year of history" (file store, and PostgreSQL when one is given)
  --expiry  only phase 8, "1,000 memberships end at once"
  --sync    only phase 9, "sync a 5,000-person user group into a 4,000-member group"
  --restart only phase 7, "after a restart" (a 1,000-mention add right after a restart)
  --help    this text

See bench/README.md for the method and how to read the table.`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const flags = new Set(argv);
  const unknown = argv.filter(
    (arg) =>
      !['--quick', '--json', '--year', '--expiry', '--sync', '--restart', '--help', '-h'].includes(arg),
  );
  if (unknown.length > 0) throw new Error(`Unknown argument(s): ${unknown.join(' ')}\n\n${USAGE}`);
  const quick = flags.has('--quick');
  return {
    quick,
    json: flags.has('--json'),
    help: flags.has('--help') || flags.has('-h'),
    yearOnly: flags.has('--year'),
    expiryOnly: flags.has('--expiry'),
    syncOnly: flags.has('--sync'),
    restartOnly: flags.has('--restart'),
    concurrency: 4,
    ack: { requests: quick ? 100 : 500, inFlight: 50, latencyMs: 200, runs: quick ? 1 : 3 },
    bulk: {
      n: quick ? 100 : 1000,
      latencyMs: 25,
      workspace: quick ? 500 : 5000,
      scale: quick ? [100] : [100, 1000, 10_000],
    },
    members: { size: quick ? 500 : 5000, latencyMs: 25 },
  };
}
