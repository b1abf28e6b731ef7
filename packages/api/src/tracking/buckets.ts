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

const WIDTHS = Array.from({ length: BUCKET_LEVELS }, (_, level) => bucketWidth(level));

/**
 * The min and max point of each bucket, at every level, for a batch of points. Non-finite values
 * stay out (a chart cannot draw them; the raw history keeps them). Merged into stored buckets
 * with least/greatest on upsert, so the order batches arrive in does not matter. Rows come out in
 * the order their buckets are first met. (The hot path of ingest: per point and level one numeric
 * map lookup, no strings built.)
 */
export function bucketRows(points: MetricInput[]): BucketRow[] {
  const out: BucketRow[] = [];
  const byKey = new Map<string, Map<number, BucketRow>[]>();
  for (const p of points) {
    const { value, step, timestamp } = p;
    if (!Number.isFinite(value)) continue;
    let levels = byKey.get(p.key);
    if (!levels) {
      levels = WIDTHS.map(() => new Map<number, BucketRow>());
      byKey.set(p.key, levels);
    }
    for (let level = 0; level < BUCKET_LEVELS; level++) {
      const bucket = Math.floor(step / (WIDTHS[level] ?? 1));
      const rows = levels[level];
      const row = rows?.get(bucket);
      if (!row) {
        const fresh = { key: p.key, level, bucket, count: 1, firstStep: step, lastStep: step, minValue: value, minStep: step, minTimestamp: timestamp, maxValue: value, maxStep: step, maxTimestamp: timestamp };
        rows?.set(bucket, fresh);
        out.push(fresh);
        continue;
      }
      row.count++;
      if (step < row.firstStep) row.firstStep = step;
      if (step > row.lastStep) row.lastStep = step;
      if (value < row.minValue) {
        row.minValue = value;
        row.minStep = step;
        row.minTimestamp = timestamp;
      }
      if (value > row.maxValue) {
        row.maxValue = value;
        row.maxStep = step;
        row.maxTimestamp = timestamp;
      }
    }
  }
  return out;
}
