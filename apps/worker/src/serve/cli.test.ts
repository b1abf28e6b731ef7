import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createGantryClient } from "@gantry/client";
import { createTestDatabase } from "@gantry/db/testing";
import type { Prediction } from "@gantry/ml";

import type { ServeFixture } from "./testing";
import { createServeFixture, startCliStack } from "./testing";

/*
 * `gantry deploy`, `gantry predict`, `gantry rollback` and `client.predict` over real HTTP: the
 * CLI talks to the API server for deploys and finds the serving port through it for predictions.
 */

const tdb = await createTestDatabase();
let f: ServeFixture;
let stack: Awaited<ReturnType<typeof startCliStack>>;

beforeAll(async () => {
  f = await createServeFixture(tdb.db, "serve-cli");
  stack = await startCliStack(tdb, f);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await tdb.drop();
});

const gantry = (args: string[]) => stack.gantry(args);
const served = (p: Prediction, labels: string[]) => ("label" in p ? { label: p.label, probabilities: labels.map((l) => p.probabilities[l]) } : p.value);

describe("serving from the CLI and the client", () => {
  it("deploys v2, predicts what v2 predicts, rolls back to v1 without naming the revision", async () => {
    const deployed = await gantry(["deploy", "scorer-api", "--model", "scorer/2", "--reason", "try v2"]);
    expect(deployed.err).toBe("");
    expect(deployed.out).toContain("scorer-api revision 2: serving scorer/2.");

    const v2 = f.trained[1];
    const rows = f.rows(v2).slice(0, 3);
    const expected = v2.sample.predictions.slice(0, 3).map((p) => served(p, v2.signature.labels ?? []));
    await until(async () => JSON.parse((await gantry(["predict", "scorer-api", "--json", JSON.stringify(rows)])).out) as { version: number }, (a) => a.version === 2);
    const answer = JSON.parse((await gantry(["predict", "scorer-api", "--json", JSON.stringify(rows)])).out) as { predictions: unknown[]; model: string; version: number; variant: string };
    expect(answer).toMatchObject({ model: "scorer", version: 2, variant: "default" });
    expect(answer.predictions).toEqual(expected);

    const human = await gantry(["predict", "scorer-api", JSON.stringify({ instances: rows.slice(0, 1) })]);
    expect(human.out).toMatch(/^scorer\/2 \(variant default, request [0-9a-f-]{36}\)$/m);

    const back = await gantry(["rollback", "scorer-api"]);
    expect(back.out).toContain("scorer-api revision 3 (rollback to 1): serving scorer/1.");

    const client = createGantryClient({ url: stack.api.url, apiKey: f.org.keys.predict.secret });
    const v1 = f.trained[0];
    await until(() => client.predict("scorer-api", rows), (a) => a.version === 1);
    const again = await client.predict("scorer-api", f.rows(v1).slice(0, 2), { unitId: "u-1" });
    expect(again.predictions).toEqual(v1.sample.predictions.slice(0, 2).map((p) => served(p, v1.signature.labels ?? [])));
    expect(again.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("says what is wrong: a bad row names the column, a bad --model the accepted forms, another org's endpoint is not found", async () => {
    const row = f.rows(f.trained[0])[0] ?? {};
    const bad = await gantry(["predict", "scorer-api", JSON.stringify([{ ...row, x1: "abc" }])]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/instances\[0\]\.x1 must be a finite number, got "abc"/);
    const model = await gantry(["deploy", "scorer-api", "--model", "scorer"]);
    expect(model.code).toBe(1);
    expect(model.err).toMatch(/--model must be NAME@ALIAS or NAME\/VERSION/);
    const notJson = await gantry(["predict", "scorer-api", "{nope"]);
    expect(notJson.err).toMatch(/the rows argument is not valid JSON/);

    const other = createGantryClient({ url: stack.api.url, apiKey: f.other.keys.all.secret });
    await expect(other.predict("scorer-api", [row])).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
