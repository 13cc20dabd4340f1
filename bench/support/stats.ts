/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0..100) of a list, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Rounds to a few significant decimals so results.json stays readable. */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** One measured round of a load scenario. */
export interface Round {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Median of each figure over the rounds (each figure separately), plus the rounds themselves. */
export function medianOfRounds(rounds: Round[]): Round & { rounds: Round[] } {
  return {
    requestsPerSecond: round(median(rounds.map((r) => r.requestsPerSecond)), 1),
    p50Ms: round(median(rounds.map((r) => r.p50Ms))),
    p99Ms: round(median(rounds.map((r) => r.p99Ms))),
    rounds,
  };
}
