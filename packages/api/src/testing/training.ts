import type { Database } from "@gantry/db";
import type { Role } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { createDatasetVersion } from "../datasets";
import type { OrgFixture } from "./fixtures";
import { seededRandom } from "../random";

/* Tiny datasets for training-job tests: a few hundred rows a small network learns in a few epochs. */

/** CSV of `x1,x2,color,label`: label is "yes" when x1 + x2 (+1 if red) > 0. `constantLabel` makes the target useless. */
export function binaryCsv(options: { rows?: number; seed?: number; constantLabel?: boolean } = {}): string {
  const next = seededRandom(options.seed ?? 7);
  const colors = ["red", "green", "blue"];
  const lines = ["x1,x2,color,label"];
  for (let i = 0; i < (options.rows ?? 200); i++) {
    const x1 = next() * 4 - 2;
    const x2 = next() * 4 - 2;
    const color = colors[Math.floor(next() * 3)] ?? "red";
    const label = options.constantLabel ? "yes" : x1 + x2 + (color === "red" ? 1 : 0) > 0 ? "yes" : "no";
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${color},${label}`);
  }
  return lines.join("\n") + "\n";
}

/** The service context of an org fixture's owner (or another role's user). */
export const fixtureContext = (db: Database, fixture: OrgFixture, role: Role = "owner"): OrgContext => ({
  db,
  orgId: fixture.org.id,
  role,
  actor: { type: "user", userId: fixture.users[role].id, label: fixture.users[role].email },
});

/** Uploads CSV text as the next version of dataset `name`. */
export async function uploadCsvDataset(ctx: OrgContext, store: ArtifactStore, name: string, csv: string) {
  const body = (async function* () {
    yield new TextEncoder().encode(csv);
  })();
  const { version } = await createDatasetVersion(ctx, store, { name, body, fileName: `${name}.csv`, maxBytes: 64 * 1024 * 1024 });
  return version;
}
