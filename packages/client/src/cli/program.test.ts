import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { OrgFixture } from "@gantry/api/testing";
import { createOrgFixture, startApiServer } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

const tdb = await createTestDatabase();
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql);
  org = await createOrgFixture(tdb.db, "cli-org");
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = runCli;

const freshConfigDir = () => mkdtemp(path.join(tmpdir(), "gantry-cli-"));

describe("gantry CLI", () => {
  it("whoami --json names the key's org, role and scopes (GANTRY_URL / GANTRY_API_KEY)", async () => {
    const env = { GANTRY_CONFIG_DIR: await freshConfigDir(), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.read.secret };
    const { code, out } = await gantry(["--json", "whoami"], env);
    expect(code).toBe(0);
    const me = JSON.parse(out) as { org: { slug: string }; role: string; scopes: string[]; kind: string };
    expect(me).toMatchObject({ kind: "api_key", org: { slug: "cli-org" }, role: "viewer", scopes: ["read"] });
  });

  it("login checks the key, saves it with mode 600, and later commands use it", async () => {
    const env = { GANTRY_CONFIG_DIR: await freshConfigDir() };
    const login = await gantry(["login", "--url", server.url, "--key", org.keys.all.secret], env);
    expect(login.code).toBe(0);
    expect(login.out).toContain("Logged in to cli-org");
    const file = path.join(env.GANTRY_CONFIG_DIR, "config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const whoami = await gantry(["whoami"], env);
    expect(whoami.out).toMatch(/org:\s+cli-org/);
    expect(whoami.out).toMatch(/scopes:\s+read, write, predict, admin/);
  });

  it("login with a wrong key fails, says why, and saves nothing", async () => {
    const env = { GANTRY_CONFIG_DIR: await freshConfigDir() };
    const wrong = org.keys.read.secret.slice(0, -4) + "AAAA";
    const { code, out } = await gantry(["--json", "login", "--url", server.url, "--key", wrong], env);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ error: { code: "UNAUTHENTICATED", status: 401, message: "Unknown API key" } });
    const after = await gantry(["whoami"], env);
    expect(after.code).toBe(1);
    expect(after.err).toContain("Not logged in");
  });

  it("reports an unreachable server without a stack trace", async () => {
    const env = { GANTRY_CONFIG_DIR: await freshConfigDir(), GANTRY_URL: "http://127.0.0.1:9", GANTRY_API_KEY: org.keys.read.secret };
    const { code, err } = await gantry(["whoami"], env);
    expect(code).toBe(1);
    expect(err).toMatch(/^error: Cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

describe("typed client", () => {
  it("calls the tRPC API inside the key's org", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.read.secret });
    const members = await client.api.member.list.query();
    expect(members.map((m) => m.email).sort()).toEqual(Object.values(org.users).map((u) => u.email).sort());
  });

  it("a read-only key is refused a write, with the reason", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.read.secret });
    const error = await client.api.apiKey.create.mutate({ name: "x", scopes: ["read"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('lacks the "write" scope') });
    const whoamiError = await createGantryClient({ url: server.url, apiKey: "gky_000000000000_" + "A".repeat(43) })
      .whoami()
      .catch((e: unknown) => e);
    expect(whoamiError).toBeInstanceOf(GantryApiError);
    expect(whoamiError).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });
});
