import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture } from "../testing";
import { compareRuns, experimentKeys } from "./compare";
import { createExperiment } from "./experiments";
import { logBatch } from "./logging";
import { createRun } from "./runs";

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "compare");
  ctx = { db: tdb.db, orgId: org.org.id, actor: { type: "user", userId: org.users.owner.id, label: "owner" }, role: "owner" };
});
afterAll(() => tdb.drop());

describe("compare and keys", () => {
  it("lists the param diff and metric keys of runs, and an experiment's keys", async () => {
    const experiment = await createExperiment(ctx, { name: "compare" });
    const ids: string[] = [];
    for (const [lr, opt] of [["0.1", "adam"], ["0.01", "adam"]]) {
      const id = (await createRun(ctx, { experimentId: experiment.id })).info.id;
      await logBatch(ctx, id, { params: [{ key: "lr", value: lr ?? "" }, { key: "optimizer", value: opt ?? "" }], metrics: [{ key: "auc", value: 0.9, timestamp: 1 }] });
      ids.push(id);
    }
    await logBatch(ctx, ids[1] ?? "", { params: [{ key: "extra", value: "1" }], metrics: [{ key: "loss", value: 0.1, timestamp: 1 }] });
    const comparison = await compareRuns(ctx, ids);
    expect(comparison.differingParams).toEqual(["extra", "lr"]);
    expect(comparison.metricKeys).toEqual(["auc", "loss"]);
    await expect(compareRuns(ctx, [...ids, "00000000-0000-7000-8000-000000000000"])).rejects.toThrow(/do not exist/);
    expect(await experimentKeys(ctx, experiment.id)).toEqual({ params: ["extra", "lr", "optimizer"], metrics: ["auc", "loss"] });
  });
});
