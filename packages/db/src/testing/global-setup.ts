import { randomBytes } from "node:crypto";

import postgres from "postgres";
import type { TestProject } from "vitest/node";

import { migrate } from "../migrate";
import "./provided";
import { openScratchServer } from "./server";
import { databaseUrl } from "./urls";

/**
 * Once per test run: a PostgreSQL server (embedded by default, `DATABASE_URL` when set) and a
 * template database with every migration applied. Each test file clones the template
 * (CREATE DATABASE … TEMPLATE), so files never see each other's rows and pay no migration cost.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const { adminUrl, stop } = await openScratchServer(process.env.DATABASE_URL, "test");
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
    await stop();
  };
}
