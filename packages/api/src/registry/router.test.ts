import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import type { ArtifactStore } from "../artifacts";
import { createFsArtifactStore } from "../artifacts";
import type { OrgFixture } from "../testing";
import { callerFor, createFakeModelRun, createOrgFixture, expectDenied, fixtureContext } from "../testing";

/* The `model` router through createCaller: tiers, outputs, error codes. */

const tdb = await createTestDatabase();
let org: OrgFixture;
let store: ArtifactStore;
const runIds: string[] = [];
const as = (role: "owner" | "admin" | "member" | "viewer") => callerFor(tdb.db, { userId: org.users[role].id, orgSlug: org.slug, artifactStore: store }).model;

beforeAll(async () => {
  org = await createOrgFixture(tdb.db, "model-router");
  store = createFsArtifactStore(await mkdtemp(path.join(tmpdir(), "gantry-model-router-")));
  const ctx = fixtureContext(tdb.db, org);
  runIds.push(await createFakeModelRun(ctx, store, { experimentId: org.experiment.id, metrics: { auc: 0.8 }, signature: { inputs: [{ name: "a", type: "numeric" }] } }));
  runIds.push(await createFakeModelRun(ctx, store, { experimentId: org.experiment.id, metrics: { auc: 0.9, f1: 0.5 }, signature: { inputs: [{ name: "a", type: "integer" }, { name: "b", type: "text" }] } }));
});
afterAll(() => tdb.drop());

describe("model router", () => {
  it("a member registers, aliases, compares and edits; a viewer reads; deleting is for admins", async () => {
    const member = as("member");
    for (const runId of runIds) await member.register({ name: "scorer", runId });
    const v2 = await member.setAlias({ name: "scorer", alias: "champion", version: 2, reason: "higher auc" });
    expect(v2).toMatchObject({ version: 2, aliases: ["champion"], createdBy: org.users.member.id });

    const viewer = as("viewer");
    expect(await viewer.get({ name: "scorer" })).toMatchObject({ versionCount: 2, latestVersion: 2, aliases: [{ alias: "champion", version: 2 }] });
    expect((await viewer.resolve({ uri: "models:/scorer@champion" })).id).toBe(v2.id);
    expect(await viewer.compare({ name: "scorer", versions: [1, 2] })).toMatchObject({
      metrics: [
        { key: "auc", values: [0.8, 0.9] },
        { key: "f1", values: [null, 0.5] },
      ],
      signatureDiffs: [{ version: 2, diff: { added: ["b"], removed: [], changed: [{ name: "a", from: "numeric", to: "integer" }] } }],
    });
    expect(await viewer.aliasHistory({ name: "scorer" })).toMatchObject([{ alias: "champion", fromVersion: null, toVersion: 2, reason: "higher auc", actorLabel: org.users.member.email }]);
    await expectDenied(viewer.setAlias({ name: "scorer", alias: "challenger", version: 1 }), ["FORBIDDEN"]);

    expect(await member.updateVersion({ name: "scorer", version: 1, description: "baseline", modelCard: "## Intended use\nDemo." })).toMatchObject({ description: "baseline", modelCard: "## Intended use\nDemo." });
    expect((await member.setVersionTag({ name: "scorer", version: 1, tag: { key: "k", value: "v" } })).tags).toEqual({ k: "v" });
    expect((await member.deleteVersionTag({ name: "scorer", version: 1, key: "k" })).tags).toEqual({});
    expect((await member.setTag({ name: "scorer", tag: { key: "team", value: "growth" } })).tags).toEqual({ team: "growth" });
    expect((await member.deleteTag({ name: "scorer", key: "team" })).tags).toEqual({});
    expect((await member.update({ name: "scorer", description: "scores leads" })).description).toBe("scores leads");
    await member.deleteAlias({ name: "scorer", alias: "champion", reason: "rollback" });
    expect((await viewer.aliasHistory({ name: "scorer", alias: "champion" }))[0]).toMatchObject({ fromVersion: 2, toVersion: null, reason: "rollback" });

    await expectDenied(member.deleteVersion({ name: "scorer", version: 1 }), ["FORBIDDEN"]);
    await expectDenied(member.delete({ name: "scorer" }), ["FORBIDDEN"]);
    await as("admin").deleteVersion({ name: "scorer", version: 1 });
    expect((await viewer.versions({ name: "scorer" })).map((v) => v.version)).toEqual([2]);
    expect(await as("admin").rename({ name: "scorer", newName: "lead-scorer" })).toMatchObject({ name: "lead-scorer", versionCount: 1 });
    expect(await as("admin").delete({ name: "lead-scorer" })).toEqual({ versionsDeleted: 1 });
    expect(await viewer.list()).toEqual([]);
  });

  it("maps domain errors to tRPC codes, naming the field", async () => {
    const member = as("member");
    const notFound = await expectDenied(member.get({ name: "ghost" }), ["NOT_FOUND"]);
    expect(notFound.message).toBe("No registered model named 'ghost'");
    await member.create({ name: "dup" });
    const conflict = await expectDenied(member.create({ name: "dup" }), ["CONFLICT"]);
    expect(conflict.message).toMatch(/'dup' already exists/);
    await expectDenied(member.setAlias({ name: "dup", alias: "v1", version: 1 }), ["BAD_REQUEST"]);
    await expectDenied(member.resolve({ uri: "models:/dup" }), ["BAD_REQUEST"]);
  });
});
