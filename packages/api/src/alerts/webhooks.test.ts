import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { webhookDeliveries } from "@gantry/schema";

import type { OrgContext } from "../context";
import type { OrgFixture } from "../testing";
import { createOrgFixture, fixtureContext } from "../testing";
import { createWebhook, deliverDueWebhooks, listWebhooks, raiseAlert, resolveAlert, webhookDeliveriesOf } from ".";

/* Webhooks against a real HTTP receiver: signed, retried with backoff, visible, never in the way. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let ctx: OrgContext;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answers: number[] = [];
const receiver = createServer((request, response) => {
  let body = "";
  request.on("data", (c: Buffer) => (body += c.toString()));
  request.on("end", () => {
    received.push({ headers: request.headers, body });
    response.writeHead(answers.shift() ?? 200);
    response.end("ok");
  });
});
let url = "";

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "webhooks");
  ctx = fixtureContext(tdb.db, org);
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  receiver.close();
  await tdb.drop();
});

const alert = (fingerprint: string) => raiseAlert(tdb.db, { orgId: org.org.id, endpointId: null, source: "data_drift", fingerprint, severity: "critical", title: `drift ${fingerprint}`, evidence: { features: ["amount"] } });
const at = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe("webhooks", () => {
  it("refuses a bad config with a reason", async () => {
    await expect(createWebhook(ctx, { name: "bad", url: "ftp://example.com" })).rejects.toMatchObject({ code: "INVALID_INPUT", field: "url" });
    await expect(createWebhook(ctx, { name: "bad", url, events: [] })).rejects.toMatchObject({ field: "events" });
    expect(await listWebhooks(ctx)).toEqual([]);
  });

  it("signs each delivery, retries a failing receiver with backoff, and shows every attempt", async () => {
    const hook = await createWebhook(ctx, { name: "pager", url });
    expect(hook.secret).toMatch(/^whsec_/);
    answers = [500, 503];
    await alert("monitor:a");
    // Raising the alert sent nothing itself: delivery is the worker's, later.
    expect(received).toHaveLength(0);

    expect(await deliverDueWebhooks(tdb.db, at(0))).toEqual({ attempted: 1, succeeded: 0 });
    let [d] = await webhookDeliveriesOf(ctx, hook.id);
    expect(d).toMatchObject({ event: "alert.fired", status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(await deliverDueWebhooks(tdb.db, at(5))).toEqual({ attempted: 0, succeeded: 0 });
    expect(await deliverDueWebhooks(tdb.db, at(11))).toEqual({ attempted: 1, succeeded: 0 });
    expect(await deliverDueWebhooks(tdb.db, at(11 + 31))).toEqual({ attempted: 1, succeeded: 1 });
    [d] = await webhookDeliveriesOf(ctx, hook.id);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, lastError: null });

    const last = received.at(-1);
    const timestamp = Number(last?.headers["x-gantry-timestamp"]);
    expect(last?.headers["x-gantry-signature"]).toBe(`sha256=${createHmac("sha256", hook.secret).update(`${timestamp}.${last?.body ?? ""}`).digest("hex")}`);
    expect(last?.headers["x-gantry-event"]).toBe("alert.fired");
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({ id: d?.id, event: "alert.fired", alert: { title: "drift monitor:a", severity: "critical", evidence: { features: ["amount"] } } });

    // Firing again while it fires refreshes the alert and notifies nobody; resolving it does.
    await alert("monitor:a");
    await resolveAlert(tdb.db, org.org.id, "monitor:a");
    const events = (await webhookDeliveriesOf(ctx, hook.id)).map((x) => x.event);
    expect(events).toEqual(["alert.resolved", "alert.fired"]);
  });

  it("gives up after the last backoff: a receiver that is gone ends as failed, with the error kept", async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const gone = await createWebhook(ctx, { name: "gone", url: `http://127.0.0.1:${port}/nothing` });
    await tdb.db.delete(webhookDeliveries).where(eq(webhookDeliveries.orgId, org.org.id));
    await alert("monitor:b");
    let seconds = 0;
    for (let i = 0; i < 6; i++) {
      await deliverDueWebhooks(tdb.db, at(seconds));
      seconds += 3_700;
    }
    const [d] = await webhookDeliveriesOf(ctx, gone.id);
    expect(d).toMatchObject({ status: "failed", attempts: 6, lastStatusCode: null });
    expect(d?.lastError).toMatch(/ECONNREFUSED|fetch failed|connect/);
  });
});
