import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { apiKeys } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { createOrgFixture, startApiServer } from "../testing";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let a: OrgFixture;
let b: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  a = await createOrgFixture(tdb.db, "http-a");
  b = await createOrgFixture(tdb.db, "http-b");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("GET /api/health", () => {
  it("is ok when the database answers and migrations are current", async () => {
    const response = await get("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok", migrations: { current: true } });
  });
});

describe("GET /api/v1/whoami", () => {
  it("names the key's org, role and scopes", async () => {
    const response = await get("/api/v1/whoami", bearer(a.keys.all.secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: "api_key", org: { slug: "http-a" }, role: "admin", scopes: ["read", "write", "predict", "admin"], user: { email: a.users.owner.email } });
  });

  it("accepts the key as the password of Basic auth (how MLflow clients send it)", async () => {
    const basic = `Basic ${Buffer.from(`token:${a.keys.read.secret}`).toString("base64")}`;
    const response = await get("/api/v1/whoami", { authorization: basic });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ org: { slug: "http-a" }, scopes: ["read"] });
  });

  it.each([
    ["no credentials", {}, /Sign in or send an API key/],
    ["a malformed key", bearer("not-a-key"), /Malformed API key/],
    ["an unknown key", bearer(`gky_0123456789ab_${"x".repeat(43)}`), /Unknown API key/],
    ["an unsupported scheme", { authorization: "Token abc" }, /Unsupported Authorization scheme/],
  ])("answers 401 with a message for %s", async (_label, headers, message) => {
    const response = await get("/api/v1/whoami", headers as Record<string, string>);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("UNAUTHENTICATED");
    expect(body.error.message).toMatch(message);
  });

  it("answers 401 for a revoked key and for an expired key", async () => {
    const revoked = await a.as("owner").apiKey.create({ name: "to revoke", scopes: ["read"] });
    await a.as("owner").apiKey.revoke({ id: revoked.key.id });
    const r1 = await get("/api/v1/whoami", bearer(revoked.secret));
    expect(r1.status).toBe(401);
    expect(((await r1.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);

    const expiring = await a.as("owner").apiKey.create({ name: "to expire", scopes: ["read"] });
    await tdb.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, expiring.key.id));
    const r2 = await get("/api/v1/whoami", bearer(expiring.secret));
    expect(r2.status).toBe(401);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });

  it("refuses another org's slug for a key (404, no data)", async () => {
    const response = await get("/api/v1/whoami", { ...bearer(b.keys.all.secret), "x-gantry-org": "http-a" });
    expect(response.status).toBe(404);
    const text = await response.text();
    for (const secret of a.secrets) expect(text).not.toContain(secret);
  });
});

describe("tRPC over HTTP", () => {
  const call = (path: string, key: string, input: unknown, org?: string) =>
    fetch(`${server.url}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(key), ...(org ? { "x-gantry-org": org } : {}) },
      body: JSON.stringify({ json: input }),
    });

  it("bad input is a 400 naming the field, and stores nothing", async () => {
    const before = (await a.as("owner").apiKey.list()).length;
    const response = await call("apiKey.create", a.keys.all.secret, { name: "x", scopes: ["read", "superuser"] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { message: string; data: { field: string; code: string } } } };
    expect(body.error.json.data).toMatchObject({ code: "BAD_REQUEST", field: "scopes.1" });
    expect(body.error.json.message).toMatch(/^scopes\.1: Scope must be one of read, write, predict, admin/);
    expect((await a.as("owner").apiKey.list()).length).toBe(before);
  });

  it("a malformed body is a 4xx, not a 500", async () => {
    const response = await fetch(`${server.url}/api/trpc/apiKey.create`, { method: "POST", headers: { "content-type": "application/json", ...bearer(a.keys.all.secret) }, body: "{not json" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("org B's key naming org A gets 404", async () => {
    const response = await fetch(`${server.url}/api/trpc/member.list`, { headers: { ...bearer(b.keys.all.secret), "x-gantry-org": "http-a" } });
    expect(response.status).toBe(404);
    const text = await response.text();
    for (const secret of a.secrets) expect(text).not.toContain(secret);
  });
});
