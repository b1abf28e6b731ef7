import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resolveModelUri, setAlias } from "@gantry/api/registry";

import { createTestDatabase } from "@gantry/db/testing";
import type { AbTest, AbTestResults } from "@gantry/schema";

import type { ServeFixture } from "./testing";
import { createServeFixture, startCliStack } from "./testing";

/*
 * An A/B test from the terminal, end to end: `gantry deploy --split` starts it, `gantry simulate`
 * drives the serving port with users whose true conversion differs by a known lift and sends
 * their feedback, `gantry abtests get` shows the verdict, `gantry abtests promote` decides.
 */

const tdb = await createTestDatabase();
let f: ServeFixture;
let stack: Awaited<ReturnType<typeof startCliStack>>;

beforeAll(async () => {
  f = await createServeFixture(tdb.db, "ab-cli");
  await setAlias(f.ctx, { name: "scorer", alias: "champion", version: 1 });
  stack = await startCliStack(tdb, f);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await tdb.drop();
});

const gantry = (args: string[]) => stack.gantry(args);
const json = async <T>(args: string[]) => {
  const r = await gantry(["--json", ...args]);
  if (r.code) throw new Error(r.err);
  return JSON.parse(r.out) as T;
};

describe("gantry deploy --split, simulate, abtests", () => {
  it("starts a split, simulates a +100% lift, reads a promote verdict and promotes the treatment", async () => {
    const bad = await gantry(["deploy", "scorer-api", "--split", "scorer/1=50,scorer/2=40"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("variant weights must sum to 100, got 90");

    const test = await json<AbTest>(["deploy", "scorer-api", "--split", "scorer@champion=50,scorer/2=50", "--test-name", "cli-split", "--baseline", "0.1", "--mde", "1", "--promote-alias", "champion"]);
    expect(test).toMatchObject({ name: "cli-split", kind: "split", status: "running", variants: [{ name: "control", version: 1 }, { name: "treatment", version: 2 }] });

    // The split reaches the server by NOTIFY; the simulator's users then land on both arms.
    const deadline = Date.now() + 60_000;
    let report: { users: number; failed: number; byVariant: Record<string, { users: number; conversions: number }> } | null = null;
    while (Date.now() < deadline) {
      report = await json(["simulate", "scorer-api", "--users", "600", "--baseline", "0.1", "--lift", "treatment=1", "--seed", "3"]);
      if (report && "treatment" in report.byVariant) break;
    }
    expect(report?.failed).toBe(0);
    expect(Object.keys(report?.byVariant ?? {}).sort()).toEqual(["control", "treatment"]);

    let results: AbTestResults | null = null;
    while (Date.now() < deadline) {
      results = await json<AbTestResults>(["abtests", "get", test.id]);
      if ((results.variants[1]?.units ?? 0) >= (report?.byVariant.treatment?.users ?? 1)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const treatment = results?.variants[1];
    expect(treatment?.units).toBe(report?.byVariant.treatment?.users);
    expect(treatment?.mean).toBeCloseTo((report?.byVariant.treatment?.conversions ?? 0) / (report?.byVariant.treatment?.users ?? 1), 10);
    expect(results?.verdict.decision).toBe("promote");
    expect(results?.verdict.sentence).toMatch(/^B is better by/);
    const human = await gantry(["abtests", "get", test.id]);
    expect(human.out).toContain("cli-split: B is better by");

    const promoted = await gantry(["abtests", "promote", test.id, "--reason", "simulated win"]);
    expect(promoted.out).toContain("Promoted: treatment: simulated win.");
    expect((await resolveModelUri(f.ctx, "models:/scorer@champion")).version).toBe(2);

    // A canary from the CLI: its control is what the endpoint serves now (v2).
    const canary = await json<AbTest>(["deploy", "scorer-api", "--canary", "scorer/1", "--steps", "50,100", "--every", "100req", "--test-name", "cli-canary"]);
    expect(canary).toMatchObject({ kind: "canary", variants: [{ version: 2, weight: 50 }, { version: 1, weight: 50 }] });
    expect((await gantry(["abtests", "stop", canary.id])).out).toContain("Stopped: control: stopped.");
    expect((await json<AbTest[]>(["abtests", "list", "--endpoint", "scorer-api"])).map((t) => [t.name, t.status])).toEqual([
      ["cli-canary", "stopped"],
      ["cli-split", "promoted"],
    ]);
  }, 120_000);
});
