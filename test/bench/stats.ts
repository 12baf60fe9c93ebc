/** Small statistics and formatting helpers for the bench. */

/** Nearest-rank percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const ms = (value: number, digits = 2): string => `${value.toFixed(digits)} ms`;

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export const formatRatio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
