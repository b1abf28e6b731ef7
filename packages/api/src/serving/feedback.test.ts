import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { asc, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { predictionFeedback } from "@gantry/schema";

import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture, fixtureContext } from "../testing";
import { createEndpoint } from "./endpoints";
import { recordFeedback } from "./feedback";

/* Feedback on predictions: validation that names the field, idempotent upserts, tenancy. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
let endpointId = "";
beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "feedback");
  ctx = fixtureContext(tdb.db, org);
  endpointId = (await createEndpoint(ctx, { name: "ranker" })).id;
});
afterAll(() => tdb.drop());

const stored = () =>
  tdb.db
    .select({ requestId: predictionFeedback.requestId, rowIndex: predictionFeedback.rowIndex, label: predictionFeedback.label, reward: predictionFeedback.reward })
    .from(predictionFeedback)
    .where(eq(predictionFeedback.endpointId, endpointId))
    .orderBy(asc(predictionFeedback.requestId), asc(predictionFeedback.rowIndex));

describe("recordFeedback", () => {
  it.each([
    ["no items", { feedback: [] }, "feedback", /at least one item/],
    ["10,001 items", { feedback: Array.from({ length: 10_001 }, (_, i) => ({ request_id: `r${i}`, reward: 1 })) }, "feedback", /at most 10000 items/],
    ["an item with neither label nor reward", { feedback: [{ request_id: "a", reward: 1 }, { request_id: "b", row: 2 }] }, "feedback.1.label", /label or a reward/],
    ["a non-finite reward", { feedback: [{ request_id: "a", label: "x" }, { request_id: "b", reward: 1 }, { request_id: "c", reward: 2 }, { request_id: "d", reward: Infinity }] }, "feedback.3.reward", /finite/],
    ["a NaN reward", { feedback: [{ request_id: "a", reward: Number.NaN }] }, "feedback.0.reward", /finite/],
    ["a negative row", { feedback: [{ request_id: "a", row: -1, label: "x" }] }, "feedback.0.row", /≥ 0/],
    ["a missing request_id", { feedback: [{ label: "x" }] }, "feedback.0.request_id", /request_id/],
    ["an object label", { feedback: [{ request_id: "a", label: { x: 1 } }] }, "feedback.0.label", /label must be/],
    ["no body", undefined, undefined, /./],
  ])("refuses %s, naming the field", async (_what, body, field, message) => {
    const error = await recordFeedback(ctx, "ranker", body).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect((error as Error).message).toMatch(message);
    if (field) expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });

  it("upserts: a retry changes nothing, the latest value wins field by field, and the prediction need not exist", async () => {
    const body = {
      feedback: [
        { request_id: "req-1", label: "spam" },
        { request_id: "req-1", row: 1, label: 3, reward: 0.5 },
        { request_id: "req-2", reward: -1 },
        { request_id: "req-3", label: true },
      ],
    };
    expect(await recordFeedback(ctx, "ranker", body)).toEqual({ accepted: 4 });
    expect(await recordFeedback(ctx, "ranker", body)).toEqual({ accepted: 4 });
    const first = [
      { requestId: "req-1", rowIndex: 0, label: "spam", reward: null },
      { requestId: "req-1", rowIndex: 1, label: "3", reward: 0.5 },
      { requestId: "req-2", rowIndex: 0, label: null, reward: -1 },
      { requestId: "req-3", rowIndex: 0, label: "true", reward: null },
    ];
    expect(await stored()).toEqual(first);

    // A later reward keeps the earlier label; a later label replaces it; duplicates in one call: the last wins.
    await recordFeedback(ctx, "ranker", {
      feedback: [
        { request_id: "req-1", reward: 1 },
        { request_id: "req-2", label: "ham" },
        { request_id: "req-2", label: "eggs" },
      ],
    });
    expect(await stored()).toEqual([{ ...first[0], reward: 1 }, first[1], { ...first[2], label: "eggs" }, first[3]]);
  });

  it("takes 10,000 items in one call", async () => {
    const feedback = Array.from({ length: 10_000 }, (_, i) => ({ request_id: `bulk-${i}`, row: i % 3, reward: i }));
    expect(await recordFeedback(ctx, "ranker", { feedback })).toEqual({ accepted: 10_000 });
    expect((await stored()).filter((r) => r.requestId.startsWith("bulk-"))).toHaveLength(10_000);
  });

  it("is NOT_FOUND for another org's endpoint, and writes nothing there", async () => {
    const intruder = fixtureContext(tdb.db, await createOrgFixture(tdb.db, "feedback-intruder"));
    await expect(recordFeedback(intruder, "ranker", { feedback: [{ request_id: "req-1", label: "pwned" }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await stored()).find((r) => r.requestId === "req-1" && r.rowIndex === 0)?.label).toBe("spam");
  });
});
