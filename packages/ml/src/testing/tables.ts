import { ZTrainingSpec } from "@gantry/schema";
import type { TrainingSpec, TrainingSpecInput } from "@gantry/schema";

import { createRandom } from "../training/random";
import type { Random } from "../training/random";
import type { Row, Table } from "../training/types";

/* Small synthetic datasets for tests: separable enough that a tiny network learns them in a few epochs. */

const normal = (random: Random) => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
const colors = ["red", "green", "blue"] as const;

/** `label` is "yes" when x1 + 0.5·x2 (+1 if red) > 0; some x2 and color cells are missing. */
export function binaryTable(n = 400, seed = 1): Table {
  const random = createRandom(seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = normal(random);
    const x2 = normal(random);
    const color = colors[random.int(3)] ?? "red";
    const score = x1 + 0.5 * x2 + (color === "red" ? 1 : 0);
    rows.push({
      x1,
      x2: random.next() < 0.05 ? null : x2,
      color: random.next() < 0.05 ? null : color,
      flag: random.next() < 0.5,
      notes: `row ${i}`,
      label: score > 0 ? "yes" : "no",
    });
  }
  return {
    columns: [
      { name: "x1", type: "numeric" },
      { name: "x2", type: "numeric" },
      { name: "color", type: "categorical" },
      { name: "flag", type: "boolean" },
      { name: "notes", type: "text" },
      { name: "label", type: "categorical" },
    ],
    rows,
  };
}

/** Three clusters in the plane, `kind` a/b/c. */
export function multiclassTable(n = 450, seed = 2): Table {
  const random = createRandom(seed);
  const centres = { a: [0, 3], b: [3, -2], c: [-3, -2] } as const;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const kind = (["a", "b", "c"] as const)[i % 3] ?? "a";
    const [cx, cy] = centres[kind];
    rows.push({ u: cx + normal(random), v: cy + normal(random), kind });
  }
  return {
    columns: [
      { name: "u", type: "numeric" },
      { name: "v", type: "numeric" },
      { name: "kind", type: "categorical" },
    ],
    rows,
  };
}

/** y = 3·a − 2·b + 4·[group = "hi"] + 100 + noise; `at` is a datetime (epoch ms), increasing. */
export function regressionTable(n = 400, seed = 3): Table {
  const random = createRandom(seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const a = normal(random);
    const b = normal(random);
    const group = random.next() < 0.5 ? "hi" : "lo";
    rows.push({ a, b, group, at: Date.UTC(2024, 0, 1) + i * 3_600_000, y: 3 * a - 2 * b + (group === "hi" ? 4 : 0) + 100 + 0.3 * normal(random) });
  }
  return {
    columns: [
      { name: "a", type: "numeric" },
      { name: "b", type: "numeric" },
      { name: "group", type: "categorical" },
      { name: "at", type: "datetime" },
      { name: "y", type: "numeric" },
    ],
    rows,
  };
}

export function specFor(input: Partial<TrainingSpecInput> & { target: string }): TrainingSpec {
  return ZTrainingSpec.parse({ dataset: { name: "synthetic" }, ...input });
}
