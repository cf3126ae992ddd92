/** The q-quantile (0..1) of already sorted samples, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

export function summarize(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The q-quantile of a prom-client histogram, as the upper bound of the bucket it falls in. */
export async function histogramQuantile(
  histogram: {
    get(): Promise<{
      values: { labels: { le?: string | number }; value: number; metricName?: string }[];
    }>;
  },
  q: number,
): Promise<number> {
  const buckets = (await histogram.get()).values.filter((v) => v.metricName?.endsWith('_bucket'));
  const total = buckets.at(-1)?.value ?? 0;
  const hit = buckets.find((bucket) => bucket.value >= q * total);
  return Number(hit?.labels.le ?? Number.NaN);
}
