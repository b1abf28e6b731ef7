import { buffer } from "node:stream/consumers";

import type { Executor } from "@gantry/db";
import { and, eq } from "@gantry/db";
import type { DistributionProfile, ReferenceProfile } from "@gantry/ml";
import { chiSquareDrift, jensenShannonDistance, wassersteinDistance } from "@gantry/ml/drift";
import type { MonitorConfig, MonitorFinding } from "@gantry/schema";
import { artifacts, modelVersions } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { BinSpec, ValuePath } from "./window";
import { ABOVE, BELOW, MISSING, OTHER } from "./window";

/*
 * Drift of a window against the training reference profile of the served version. The profile
 * keeps a 10-bin histogram per numeric feature and category counts per categorical one (not the
 * raw rows), so the window is binned the same way and the tests work on bins, following
 * Evidently's defaults where they can: reference > 1,000 rows → normed Wasserstein distance for
 * numeric features (from the histograms, each bin at its midpoint; values outside the reference
 * range sit half a bin beyond it) and Jensen–Shannon distance for categorical ones, drift at ≥ the
 * threshold (0.1); smaller references → χ² over the bins, drift at p < 0.05 (Evidently uses KS for
 * numeric features there, which needs raw reference values the profile does not keep).
 */

const profiles = new Map<string, ReferenceProfile | null>();

/** The served version's reference profile (from its training run), cached by version; null when it has none (an uploaded model). */
export async function referenceProfile(db: Executor, store: ArtifactStore, versionId: string): Promise<ReferenceProfile | null> {
  if (profiles.has(versionId)) return profiles.get(versionId) ?? null;
  const [row] = await db
    .select({ sha256: artifacts.sha256 })
    .from(modelVersions)
    .innerJoin(artifacts, and(eq(artifacts.runId, modelVersions.sourceRunId), eq(artifacts.path, "reference_profile.json")))
    .where(eq(modelVersions.id, versionId));
  const profile = row ? (JSON.parse((await buffer(await store.get(row.sha256))).toString("utf8")) as ReferenceProfile) : null;
  if (profiles.size > 1_000) profiles.clear();
  profiles.set(versionId, profile);
  return profile;
}

/** The bins of one profiled value, found at `at` in a log row. */
export function binSpecOf(name: string, profile: DistributionProfile, at: ValuePath): BinSpec {
  if (profile.kind === "numeric") return { name, kind: "numeric", at, edges: profile.histogram.edges };
  return { name, kind: "categorical", at, categories: Object.keys(profile.frequencies).filter((c) => c !== OTHER) };
}

export const featurePath = (name: string): ValuePath => ({ column: "features", keys: [name] });

/**
 * Reference and window counts over the same labels (reference bins first, then the extra ones the
 * window needs). The reference is the profile's own counts, or `baseline`'s: a trailing window of
 * the endpoint's traffic binned the same way.
 */
function aligned(profile: DistributionProfile, counts: Map<string, number>, baseline?: Map<string, number>) {
  if (profile.kind === "numeric") {
    const n = profile.histogram.counts.length;
    const labels = [BELOW, ...Array.from({ length: n }, (_, i) => String(i + 1)), ABOVE];
    return { labels, reference: baseline ? labels.map((l) => baseline.get(l) ?? 0) : [0, ...profile.histogram.counts, 0], current: labels.map((l) => counts.get(l) ?? 0) };
  }
  const labels = [...Object.keys(profile.frequencies).filter((c) => c !== OTHER), OTHER];
  return { labels, reference: labels.map((l) => (baseline ? baseline.get(l) : profile.frequencies[l]) ?? 0), current: labels.map((l) => counts.get(l) ?? 0) };
}

/** Values beyond the reference range join its edge bins (χ² needs an expected count in every bin). */
function foldOutOfRange(profile: DistributionProfile, counts: number[]): number[] {
  const merged = [...counts];
  if (profile.kind === "numeric" && merged.length > 2) {
    merged[1] = (merged[1] ?? 0) + (merged[0] ?? 0);
    merged[merged.length - 2] = (merged[merged.length - 2] ?? 0) + (merged[merged.length - 1] ?? 0);
    merged[0] = 0;
    merged[merged.length - 1] = 0;
  }
  return merged;
}

const shares = (counts: number[]) => {
  const total = counts.reduce((a, n) => a + n, 0);
  return counts.map((n) => (total ? n / total : 0));
};

/**
 * One feature's finding: the window's counts against the reference's (`referenceRows` of them), or
 * against a trailing baseline window's counts when given (`referenceRows` is then its row count).
 */
export function compareFeature(name: string, profile: DistributionProfile, referenceRows: number, counts: Map<string, number>, config: MonitorConfig, baseline?: Map<string, number>): MonitorFinding {
  const { labels, reference, current } = aligned(profile, counts, baseline);
  const missingShare = (counts.get(MISSING) ?? 0) / Math.max(1, [...counts.values()].reduce((a, n) => a + n, 0));
  const base = { name, reference: { labels, shares: shares(reference) }, current: { labels, shares: shares(current) }, ...(missingShare > 0 ? { note: `${(missingShare * 100).toFixed(1)}% missing in the window` } : {}) };
  if (current.every((n) => n === 0)) return { ...base, test: "none", statistic: null, threshold: 0, flagged: false, note: "no values in the window" };
  if (referenceRows > 1_000) {
    if (profile.kind === "numeric") {
      const edges = profile.histogram.edges;
      const first = edges[0] ?? 0;
      const last = edges[edges.length - 1] ?? 0;
      const width = edges.length > 1 ? (last - first) / (edges.length - 1) : 1;
      const points = [first - width / 2, ...edges.slice(0, -1).map((e, i) => (e + (edges[i + 1] ?? e)) / 2), last + width / 2];
      if (edges.length === 2 && first === last) points.splice(1, 1, first);
      // scipy's weighted form: each bin's count on its midpoint.
      const distance = wassersteinDistance(points, points, reference, current) / Math.max(profile.std, 0.001);
      return { ...base, test: "wasserstein_normed", statistic: distance, threshold: config.distanceThreshold, flagged: distance >= config.distanceThreshold };
    }
    const distance = jensenShannonDistance(shares(reference), shares(current));
    return { ...base, test: "jensen_shannon", statistic: distance, threshold: config.distanceThreshold, flagged: distance >= config.distanceThreshold };
  }
  const merged = foldOutOfRange(profile, current);
  const kept = foldOutOfRange(profile, reference)
    .map((r, i) => [r, merged[i] ?? 0] as const)
    .filter(([r]) => r > 0);
  const { pValue } = chiSquareDrift(
    kept.map(([r]) => r),
    kept.map(([, c]) => c),
  );
  return { ...base, test: "chi_square", statistic: pValue, threshold: 0.05, flagged: pValue < 0.05 };
}
