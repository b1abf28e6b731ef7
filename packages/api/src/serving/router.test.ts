import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import { createFsArtifactStore } from "../artifacts";
import { registerVersionFromRun } from "../registry";
import type { OrgFixture } from "../testing";
import { callerFor, createFakeModelRun, createOrgFixture, expectDenied, fixtureContext } from "../testing";

/* The `endpoint` router through createCaller: tiers, outputs, error codes. */

const tdb = await createTestDatabase();
let org: OrgFixture;
const as = (role: "owner" | "admin" | "member" | "viewer", serving?: { url: string; publicUrl?: string }) =>
  callerFor(tdb.db, { userId: org.users[role].id, orgSlug: org.slug, serving }).endpoint;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "endpoint-router");
  const ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-endpoint-router-")));
  for (let i = 0; i < 2; i++) await registerVersionFromRun(ctx, store, { name: "scorer", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id }) });
});
afterAll(() => tdb.drop());

describe("endpoint router", () => {
  it("a member creates, deploys, rolls back, pauses; a viewer reads; deleting is for admins", async () => {
    const member = as("member");
    expect(await member.create({ name: "scorer-api", description: "leads" })).toMatchObject({ name: "scorer-api", auth: "key", revisions: [] });
    await member.deploy({ name: "scorer-api", model: "models:/scorer/1", reason: "first" });
    expect(await member.deploy({ name: "scorer-api", model: { model: "scorer", version: 2 } })).toMatchObject({ revision: 2, version: 2 });
    const back = await member.rollback({ name: "scorer-api", revision: 1, reason: "v2 regressed" });
    expect(back.revisions[0]).toMatchObject({ revision: 3, rolledBackFrom: 1, reason: "v2 regressed", deployedBy: org.users.member.email });
    expect((await member.pause({ name: "scorer-api" })).status).toBe("paused");
    expect((await member.resume({ name: "scorer-api" })).status).toBe("active");
    expect((await member.update({ name: "scorer-api", auth: "public", followAlias: "champion" })).followAlias).toBe("champion");

    const viewer = as("viewer");
    expect(await viewer.list()).toMatchObject([{ name: "scorer-api", revision: 3, model: "scorer", version: 1 }]);
    expect((await viewer.get({ name: "scorer-api" })).revisions.map((r) => r.revision)).toEqual([3, 2, 1]);
    await expectDenied(viewer.deploy({ name: "scorer-api", model: "models:/scorer/2" }), ["FORBIDDEN"]);
    await expectDenied(member.delete({ name: "scorer-api" }), ["FORBIDDEN"]);
    expect(await as("admin").delete({ name: "scorer-api" })).toEqual({ ok: true });
    expect(await viewer.list()).toEqual([]);
  });

  it("maps domain errors to tRPC codes", async () => {
    const member = as("member");
    await member.create({ name: "dup" });
    expect((await expectDenied(member.create({ name: "dup" }), ["CONFLICT"])).message).toMatch(/'dup' already exists/);
    await expectDenied(member.get({ name: "ghost" }), ["NOT_FOUND"]);
    await expectDenied(member.create({ name: "Not A Slug" }), ["BAD_REQUEST"]);
    await expectDenied(member.deploy({ name: "dup", model: "models:/scorer@nope" }), ["NOT_FOUND"]);
    await expectDenied(member.rollback({ name: "dup", revision: 1 }), ["NOT_FOUND"]);
    await member.deploy({ name: "dup", model: "models:/scorer/1" });
    await expectDenied(callerFor(tdb.db, { userId: org.users.admin.id, orgSlug: org.slug }).model.deleteVersion({ name: "scorer", version: 1 }), ["PRECONDITION_FAILED"]);
  });
});

describe("endpoint.tryPredict", () => {
  it("validates, answers NOT_FOUND for unknown endpoints and PRECONDITION_FAILED without a serving port", async () => {
    await as("member").create({ name: "try-me" });
    const serving = { url: "http://127.0.0.1:9" };
    await expectDenied(as("member", serving).tryPredict({ name: "try-me", instances: [] }), ["BAD_REQUEST"]);
    await expectDenied(as("member", serving).tryPredict({ name: "try-me", instances: Array.from({ length: 101 }, () => ({ a: 1 })) }), ["BAD_REQUEST"]);
    await expectDenied(as("member", serving).tryPredict({ name: "try-me", instances: [1 as unknown as Record<string, unknown>] }), ["BAD_REQUEST"]);
    await expectDenied(as("member", serving).tryPredict({ name: "ghost", instances: [{ a: 1 }] }), ["NOT_FOUND"]);
    await expectDenied(as("viewer", serving).tryPredict({ name: "try-me", instances: [{ a: 1 }] }), ["FORBIDDEN"]);
    expect((await expectDenied(as("member").tryPredict({ name: "try-me", instances: [{ a: 1 }] }), ["PRECONDITION_FAILED"])).message).toBe("serving is not configured");
    // Nothing listens on the discard port: the caller is told the serving port did not answer.
    expect((await expectDenied(as("member", serving).tryPredict({ name: "try-me", instances: [{ a: 1 }] }), ["PRECONDITION_FAILED"])).message).toMatch(/serving port did not answer/);
  });

  it("calls the serving port over HTTP with a cached predict key and never shows the secret", async () => {
    const seen: { url: string; auth: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", auth: req.headers.authorization ?? "", body });
        res.writeHead(200, { "content-type": "application/json", "x-request-id": `req-${seen.length}` });
        res.end(JSON.stringify({ predictions: [0.5], request_id: `req-${seen.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const member = as("member", { url, publicUrl: "https://serve.example.test/" });
      await member.create({ name: "try-http" });
      const first = await member.tryPredict({ name: "try-http", instances: [{ tenure: 3, plan: "pro" }] });
      expect(first).toMatchObject({ status: 200, body: { predictions: [0.5] }, requestId: "req-1" });
      const second = await member.tryPredict({ name: "try-http", instances: [{ tenure: 4 }] });
      expect(second.requestId).toBe("req-2");
      expect(seen[0]).toMatchObject({ url: `/orgs/${org.slug}/v1/models/try-http:predict`, body: JSON.stringify({ instances: [{ tenure: 3, plan: "pro" }] }) });
      expect(seen[0]?.auth).toMatch(/^Bearer gky_/);
      // One key per org and person, reused until near its expiry.
      expect(seen[1]?.auth).toBe(seen[0]?.auth);
      const secret = seen[0]?.auth.slice("Bearer ".length) ?? "";
      expect(first.curl).toContain(`https://serve.example.test/orgs/${org.slug}/v1/models/try-http:predict`);
      expect(first.curl).toContain("Bearer $GANTRY_API_KEY");
      expect(first.curl).not.toContain(secret);
      const keys = await callerFor(tdb.db, { userId: org.users.admin.id, orgSlug: org.slug }).apiKey.list();
      expect(keys.filter((k) => k.name.startsWith("portal try-it")).map((k) => k.scopes)).toEqual([["predict"]]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
