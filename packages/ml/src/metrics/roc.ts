/* ROC analysis for scores of a positive class, following scikit-learn's definitions. */

type Numbers = ArrayLike<number>;

/**
 * Area under the ROC curve (the Mann–Whitney statistic, ties counted half). `undefined` when
 * either class is absent: the area is not defined then.
 */
export function rocAuc(isPositive: ArrayLike<boolean | number>, scores: Numbers): number | undefined {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (isPositive[order[i] as number]) {
        positives++;
        rankSum += rank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Macro average of one-vs-rest areas over the classes that have both positives and negatives. */
export function macroRocAucOvr(yTrue: Numbers, probabilities: Numbers[], k: number): number | undefined {
  const areas: number[] = [];
  for (let c = 0; c < k; c++) {
    const area = rocAuc(
      Array.from(yTrue, (y) => y === c),
      probabilities.map((row) => row[c] as number),
    );
    if (area !== undefined) areas.push(area);
  }
  return areas.length ? areas.reduce((a, b) => a + b, 0) / areas.length : undefined;
}

export type RocCurve = { fpr: number[]; tpr: number[]; thresholds: number[] };

/**
 * ROC points at each distinct score (collinear points dropped, as scikit-learn's
 * `drop_intermediate`), starting at (0, 0) with threshold max + 1 (scikit-learn < 1.3 wrote that
 * rather than ∞, and it survives JSON). Thinned evenly to at most `maxPoints`.
 */
export function rocCurve(isPositive: ArrayLike<boolean | number>, scores: Numbers, maxPoints = 200): RocCurve | undefined {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const index = order[i] as number;
    if (isPositive[index]) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[index]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[index] as number);
    }
  }
  if (tp === 0 || fp === 0) return undefined;

  const keep = tps.map((_, i) => {
    if (i === 0 || i === tps.length - 1) return true;
    const bend = (xs: number[]) => (xs[i + 1] as number) - 2 * (xs[i] as number) + (xs[i - 1] as number) !== 0;
    return bend(tps) || bend(fps);
  });
  const points = [{ tps: 0, fps: 0, threshold: (thresholds[0] as number) + 1 }];
  keep.forEach((k, i) => {
    if (k) points.push({ tps: tps[i] as number, fps: fps[i] as number, threshold: thresholds[i] as number });
  });

  const thinned = points.length <= maxPoints ? points : Array.from({ length: maxPoints }, (_, j) => points[Math.round((j * (points.length - 1)) / (maxPoints - 1))] as (typeof points)[number]);
  return {
    fpr: thinned.map((p) => p.fps / fp),
    tpr: thinned.map((p) => p.tps / tp),
    thresholds: thinned.map((p) => p.threshold),
  };
}
