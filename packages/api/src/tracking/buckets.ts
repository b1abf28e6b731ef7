import type { MetricInput } from "@gantry/schema";

/**
 * Bucket widths in steps: 64·4^level. Level 7 (1,048,576 steps a bucket) covers ~10^9 steps in
 * ~1k buckets; histories short enough for level 0 to be too coarse are read raw.
 */
export const BUCKET_LEVELS = 8;
export const bucketWidth = (level: number) => 64 * 4 ** level;

export type BucketRow = {
  key: string;
  level: number;
  bucket: number;
  count: number;
  firstStep: number;
  lastStep: number;
  minValue: number;
  minStep: number;
  minTimestamp: number;
  maxValue: number;
  maxStep: number;
  maxTimestamp: number;
};

/**
 * The min and max point of each bucket, at every level, for a batch of points. Non-finite values
 * stay out (a chart cannot draw them; the raw history keeps them). Merged into stored buckets
 * with least/greatest on upsert, so the order batches arrive in does not matter.
 */
export function bucketRows(points: MetricInput[]): BucketRow[] {
  const rows = new Map<string, BucketRow>();
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    for (let level = 0; level < BUCKET_LEVELS; level++) {
      const bucket = Math.floor(p.step / bucketWidth(level));
      const id = `${p.key}\u0000${level}\u0000${bucket}`;
      const row = rows.get(id);
      if (!row) {
        rows.set(id, { key: p.key, level, bucket, count: 1, firstStep: p.step, lastStep: p.step, minValue: p.value, minStep: p.step, minTimestamp: p.timestamp, maxValue: p.value, maxStep: p.step, maxTimestamp: p.timestamp });
        continue;
      }
      row.count++;
      row.firstStep = Math.min(row.firstStep, p.step);
      row.lastStep = Math.max(row.lastStep, p.step);
      if (p.value < row.minValue) Object.assign(row, { minValue: p.value, minStep: p.step, minTimestamp: p.timestamp });
      if (p.value > row.maxValue) Object.assign(row, { maxValue: p.value, maxStep: p.step, maxTimestamp: p.timestamp });
    }
  }
  return [...rows.values()];
}
