/** Order statistics for benchmark samples (nearest-rank, so p99 is a value that was actually seen). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const mean = (samples: readonly number[]): number => (samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length);

/** Fixed decimals, or "–" for a figure that could not be measured. */
export const fixed = (value: number | undefined, digits = 1): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
