import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createFsArtifactStore } from "@gantry/api/artifacts";
import type { OrgFixture } from "@gantry/api/testing";
import { binaryCsv, createOrgFixture, fixtureContext, startApiServer, uploadCsvDataset } from "@gantry/api/testing";
import { createTestDatabase } from "@gantry/db/testing";
import type { Job } from "@gantry/schema/job-contracts";
import type { Schedule, ScheduleDetail } from "@gantry/schema/schedule-contracts";

import { createGantryClient, GantryApiError } from "../client";
import { runCli } from "./run-cli";

/* `gantry schedules` against a real API server (no worker: nothing fires by itself here). */

const tdb = await createTestDatabase();
const artifactRoot = await mkdtemp(path.join(tmpdir(), "gantry-cli-schedules-"));
let server: Awaited<ReturnType<typeof startApiServer>>;
let org: OrgFixture;
let env: NodeJS.ProcessEnv;
let specFile = "";
beforeAll(async () => {
  server = await startApiServer(tdb.db, tdb.sql, { artifactRoot });
  org = await createOrgFixture(tdb.db, "cli-schedules");
  await uploadCsvDataset(fixtureContext(tdb.db, org), createFsArtifactStore(artifactRoot), "toy", binaryCsv({ rows: 40 }));
  env = { GANTRY_CONFIG_DIR: await mkdtemp(path.join(tmpdir(), "gantry-cli-")), GANTRY_URL: server.url, GANTRY_API_KEY: org.keys.all.secret };
  specFile = path.join(artifactRoot, "spec.json");
  await writeFile(specFile, JSON.stringify({ dataset: { name: "toy" }, target: "label", epochs: 2 }));
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

const gantry = (args: string[]) => runCli(args, env);

describe("gantry schedules", () => {
  it("create refuses a bad cron or time zone with the parser's reason", async () => {
    const cron = await gantry(["schedules", "create", "--name", "bad", "--cron", "0 3 * *", "--spec", specFile]);
    expect(cron.code).toBe(1);
    expect(cron.err).toMatch(/^error: cron: expected five fields .* got 4 fields \(BAD_REQUEST\)$/);
    const range = await gantry(["--json", "schedules", "create", "--name", "bad", "--cron", "0 24 * * *", "--spec", specFile]);
    expect(JSON.parse(range.out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "cron", message: expect.stringMatching(/expected range 0-23/) } });
    const zone = await gantry(["--json", "schedules", "create", "--name", "bad", "--cron", "0 3 * * 1", "--timezone", "Moon/Base", "--spec", specFile]);
    expect(JSON.parse(zone.out)).toMatchObject({ error: { code: "BAD_REQUEST", field: "timezone" } });
    expect((await gantry(["--json", "schedules", "list"])).out).toBe("[]");
  });

  it("create, list, get, pause, resume, run, delete", async () => {
    const created = await gantry(["schedules", "create", "--name", "weekly retrain", "--cron", "0 3 * * 1", "--timezone", "Europe/Paris", "--spec", specFile]);
    expect(created.code).toBe(0);
    const id = /^Created schedule ([0-9a-f-]{36}) 'weekly retrain' \(0 3 \* \* 1, Europe\/Paris\); next firing \d{4}-\d\d-\d\d \d\d:00 UTC\.$/.exec(created.out)?.[1] ?? "";
    expect(id).not.toBe("");
    const list = await gantry(["schedules", "list"]);
    expect(list.out.split("\n")[0]).toMatch(/^SCHEDULE ID\s+NAME\s+CRON\s+TIMEZONE\s+STATE\s+NEXT \(UTC\)\s+LAST \(UTC\)\s+DATASET$/);
    expect(list.out).toMatch(new RegExp(`${id}\\s+weekly retrain\\s+0 3 \\* \\* 1\\s+Europe/Paris\\s+active\\s+.*toy@latest`));

    expect((await gantry(["schedules", "pause", id])).out).toBe(`Paused schedule ${id} 'weekly retrain'.`);
    expect((JSON.parse((await gantry(["--json", "schedules", "get", id])).out) as ScheduleDetail).paused).toBe(true);
    expect((await gantry(["schedules", "resume", id])).out).toMatch(new RegExp(`^Resumed schedule ${id} 'weekly retrain'; next firing `));

    const run = await gantry(["--json", "schedules", "run", id]);
    const job = JSON.parse(run.out) as Job;
    expect(job).toMatchObject({ kind: "train", status: "queued", scheduleId: id, spec: { dataset: { name: "toy", version: 1 }, epochs: 2 } });
    const got = await gantry(["schedules", "get", id]);
    expect(got.out).toMatch(/cron:\s+0 3 \* \* 1 \(Europe\/Paris\)/);
    expect(got.out).toContain(`  ${job.id}  queued`);

    const updated = JSON.parse((await gantry(["--json", "schedules", "update", id, "--cron", "@daily", "--name", "daily retrain"])).out) as Schedule;
    expect(updated).toMatchObject({ name: "daily retrain", cron: "@daily" });
    expect((await gantry(["schedules", "delete", id])).out).toBe(`Deleted schedule ${id}.`);
    expect((await gantry(["schedules", "get", id])).err).toBe(`error: Schedule '${id}' not found (NOT_FOUND)`);
  });

  it("the client's schedules API: errors are GantryApiError with the field", async () => {
    const client = createGantryClient({ url: server.url, apiKey: org.keys.all.secret });
    const error = await client.schedules.create({ name: "x", cron: "0 3 * * 1", spec: { dataset: { name: "toy" }, target: "nope" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GantryApiError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", field: "spec.target" });
    const s = await client.schedules.create({ name: "client", cron: "*/15 * * * *", spec: { dataset: { name: "toy" }, target: "label" } });
    expect((await client.schedules.list()).map((x) => x.id)).toContain(s.id);
    expect(await client.schedules.delete(s.id)).toEqual({ deleted: true });
  });
});
