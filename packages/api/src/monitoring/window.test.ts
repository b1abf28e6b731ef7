import { afterAll, beforeAll, expect, it } from "vitest";

import { sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";

import { ensurePredictionPartitions } from "../serving";
import type { BinSpec } from "./window";
import { ABOVE, BELOW, MISSING, OTHER, windowBinCounts } from "./window";

/*
 * The window's bins against a plain JS binning of the same rows: values exactly on the edges (the
 * last bin closed), out of range, missing, JSON null and values of the wrong type (missing for a
 * numeric feature, "other" for a categorical one), an array element, a constant reference, and an
 * odd number of features (codes are counted in pairs).
 */

const tdb = await createTestDatabase();
const endpointId = "0192a000-0000-7000-8000-000000000001";
const now = new Date();
beforeAll(() => ensurePredictionPartitions(tdb.db, { from: new Date(now.getTime() - 86_400_000), days: 2 }));
afterAll(() => tdb.drop());

const edges = [-1.5, -0.3, 0.1, 0.7, 2.25];
const specs: BinSpec[] = [
  { name: "x", kind: "numeric", at: { column: "features", keys: ["x"] }, edges },
  { name: "c", kind: "categorical", at: { column: "features", keys: ["c"] }, categories: ["a", 'q"u\\o,te', "5", "true"] },
  { name: "k", kind: "numeric", at: { column: "features", keys: ["k"] }, edges: [4, 4] },
  { name: "score", kind: "numeric", at: { column: "outputs", keys: ["probabilities", 1] }, edges: [0, 0.25, 0.5, 0.75, 1] },
  { name: "label", kind: "categorical", at: { column: "outputs", keys: ["label"] }, categories: ["no", "yes"] },
];

function expected(spec: BinSpec, value: unknown): string {
  if (spec.kind === "numeric") {
    if (typeof value !== "number") return MISSING;
    const e = spec.edges;
    const last = e[e.length - 1] ?? 0;
    if (value < (e[0] ?? 0)) return BELOW;
    if (value > last) return ABOVE;
    if (value === last) return String(Math.max(1, e.length - 1));
    return String(e.findIndex((edge) => value < edge));
  }
  if (value === null || value === undefined) return MISSING;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return spec.categories.includes(text) ? text : OTHER;
}

it("bins every value as a plain binning of the same rows does", async () => {
  const odd = [null, "0.5", "abc", true, [], {}, [1]];
  const xs = [...edges, -2, 3, 0, 0.099, 0.1000001, 2.2499999, 1e21, -1e-7, ...odd];
  const cs = ["a", 'q"u\\o,te', "5", 5, true, "b", "", null, [], { a: 1 }];
  const rows = Array.from({ length: 300 }, (_, i) => {
    const features: Record<string, unknown> = { x: xs[i % xs.length], c: cs[i % cs.length], k: [4, 3.9, 4.1, "4", null][i % 5] };
    if (i % 11 === 0) delete features.x;
    if (i % 13 === 0) delete features.c;
    const s = (i % 21) / 20;
    const outputs = i % 17 === 0 ? { label: null } : { label: s >= 0.5 ? "yes" : i % 2 ? "no" : "maybe", probabilities: i % 19 === 0 ? ["0.1", "0.9"] : [1 - s, s] };
    return { features, outputs };
  });
  await tdb.db.execute(sql`
    insert into prediction_log (created_at, request_id, row_index, org_id, endpoint_id, revision, variant, model_version_id, features, outputs, latency_ms, status)
    select ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz, 'r' || g, 0, ${endpointId}::uuid, ${endpointId}::uuid, 1, 'default', ${endpointId}::uuid,
           (${JSON.stringify(rows.map((r) => r.features))}::jsonb) -> (g - 1), (${JSON.stringify(rows.map((r) => r.outputs))}::jsonb) -> (g - 1), 1, 200
      from generate_series(1, ${rows.length}::int) g`);

  const value = (row: (typeof rows)[number], spec: BinSpec): unknown =>
    spec.at.keys.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), spec.at.column === "features" ? row.features : row.outputs);
  const plain = (counts: Map<string, number>) => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  for (const chosen of [specs, specs.slice(0, 4), specs.slice(1, 2)]) {
    const window = await windowBinCounts(tdb.db, { endpointId, start: new Date(now.getTime() - 3_600_000), end: now, variants: ["default"], specs: chosen });
    expect(window.rows).toBe(rows.length);
    for (const spec of chosen) {
      const want = new Map<string, number>();
      for (const row of rows) {
        const label = expected(spec, value(row, spec));
        want.set(label, (want.get(label) ?? 0) + 1);
      }
      expect(plain(window.bins.get(spec.name) ?? new Map()), spec.name).toEqual(plain(want));
    }
  }
});
