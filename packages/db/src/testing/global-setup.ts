import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";
import type { TestProject } from "vitest/node";

import type { EmbeddedPostgres } from "../embedded";
import { startEmbeddedPostgres } from "../embedded";
import { migrate } from "../migrate";
import "./provided";
import { databaseUrl } from "./urls";

/**
 * Once per test run: a PostgreSQL server (embedded by default, `DATABASE_URL` when set) and a
 * template database with every migration applied. Each test file clones the template
 * (CREATE DATABASE … TEMPLATE), so files never see each other's rows and pay no migration cost.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), "gantry-test-pg-"));
    embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
    adminUrl = embedded.url("postgres");
  }
  const prefix = `gantry_t_${runId}`;
  const template = `${prefix}_tpl`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${template}"`);
  await migrate(databaseUrl(adminUrl, template));

  project.provide("gantryDb", { adminUrl, template, prefix });

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "%"}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
