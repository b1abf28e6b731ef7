import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import { registerVersionFromRun, setAlias } from "@gantry/api/registry";
import type { OrgFixture } from "@gantry/api/testing";
import { createFakeModelRun, createOrgFixture, fixtureContext, startApiServer } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";
import type { Endpoint, EndpointDetail } from "@gantry/schema/serving-contracts";

import { createGantryClient } from "../client";
import { runCli } from "./run-cli";

/* `gantry endpoints` and `client.endpoints` against a real API server. */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-endpoints-"));
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "cli-endpoints");
  const ctx = fixtureContext(tdb.db, org);
  const store = createFsArtifactStore(artifactRoot);
  for (let i = 0; i < 2; i++) await registerVersionFromRun(ctx, store, { name: "fraud", runId: await createFakeModelRun(ctx, store, { experimentId: org.experiment.id }) });
  await setAlias(ctx, { name: "fraud", alias: "champion", version: 2 });
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry endpoints", () => {
  it("create, deploy, rollback, get, list; the client sees the same", async () => {
    expect(await gantry(["endpoints", "create", "fraud-api"])).toMatchObject({ code: 0, out: "Created endpoint fraud-api (auth key). Deploy with: gantry endpoints deploy fraud-api models:/NAME@ALIAS" });
    expect(JSON.parse((await gantry(["--json", "endpoints", "create", "open", "--public"])).out)).toMatchObject({ name: "open", auth: "public" });
    expect((await gantry(["endpoints", "deploy", "fraud-api", "models:/fraud/1", "--reason", "launch"])).out).toBe("fraud-api revision 1: serving fraud/1.");
    expect((await gantry(["endpoints", "deploy", "fraud-api", "models:/fraud@champion"])).out).toBe("fraud-api revision 2: serving fraud/2 (@champion).");
    expect((await gantry(["endpoints", "rollback", "fraud-api", "1", "--reason", "v2 is slow"])).out).toBe("fraud-api revision 3 (rollback to 1): serving fraud/1.");

    const got = (await gantry(["endpoints", "get", "fraud-api"])).out.split("\n");
    expect(got[0]).toBe("endpoint: fraud-api  (active, auth key)");
    expect(got[1]).toBe("serving:  fraud/1  revision 3");
    expect(got[3]).toMatch(/^REVISION\s+MODEL\s+DEPLOYED \(UTC\)\s+BY\s+REASON$/);
    expect(got[4]).toMatch(/^3 \*\s+fraud\/1\s+.*v2 is slow$/);
    expect(got[5]).toMatch(/^2\s+fraud\/2 \(@champion\)\s+.*—$/);
    const detail = JSON.parse((await gantry(["--json", "endpoints", "get", "fraud-api"])).out) as EndpointDetail;
    expect(detail.revisions.map((r) => [r.revision, r.rolledBackFrom])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);

    expect((await gantry(["endpoints", "list"])).out).toMatch(/^fraud-api\s+active\s+key\s+fraud\/1\s+3\s+/m);
    expect((JSON.parse((await gantry(["--json", "endpoints", "list"])).out) as Endpoint[]).map((e) => e.name)).toEqual(["fraud-api", "open"]);

    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    expect(await client.endpoints.deploy("open", { model: "fraud", alias: "champion" }, { reason: "from the client" })).toMatchObject({ revision: 1, version: 2, via: "champion" });
    expect((await client.endpoints.rollback("fraud-api", 2)).revisions[0]).toMatchObject({ revision: 4, rolledBackFrom: 2 });
    expect((await client.endpoints.get("fraud-api")).version).toBe(2);
    expect(await client.endpoints.list()).toHaveLength(2);
  });

  it("reports errors with the server's code", async () => {
    expect((await gantry(["endpoints", "get", "ghost"])).err).toBe("error: No endpoint named 'ghost' (NOT_FOUND)");
    expect((await gantry(["endpoints", "deploy", "fraud-api", "models:/fraud@nope"])).err).toBe("error: Model 'fraud' has no alias 'nope' (NOT_FOUND)");
    expect((await gantry(["endpoints", "rollback", "fraud-api", "zero"])).err).toMatch(/revision must be a positive integer, got 'zero'/);
    const duplicate = await gantry(["--json", "endpoints", "create", "fraud-api"]);
    expect(duplicate.code).toBe(1);
    expect(JSON.parse(duplicate.out)).toMatchObject({ error: { code: "CONFLICT", field: "name" } });
  });
});
