import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { apiKeys, memberships } from "@gantry/schema";

import type { OrgFixture } from "../testing";
import { callerFor, createOrgFixture, createUser } from "../testing";
import { auditActionsOf, expectError } from "../testing/assertions";
import { sha256 } from "./tokens";

const tdb = await createTestDatabase();
let acme: OrgFixture;
beforeAll(async () => {
  acme = await createOrgFixture(tdb.db, "acme");
});
afterAll(() => tdb.drop());

const withSecret = (apiKey: string) => callerFor(tdb.db, { apiKey });
const keyRow = async (id: string) => (await tdb.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
const isRevoked = async (id: string) => (await keyRow(id))?.revokedAt != null;

describe("apiKey.create", () => {
  it("returns the secret once; the list shows neither the secret nor its hash", async () => {
    const before = await auditActionsOf(tdb.db, acme.org.id);
    const { key, secret } = await acme.as("member").apiKey.create({ name: "ci", scopes: ["read", "write"] });
    expect(secret).toMatch(new RegExp(`^${key.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(key).toMatchObject({ name: "ci", scopes: ["read", "write"], createdBy: { id: acme.users.member.id }, revokedAt: null, lastUsedAt: null });
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual([...before, "api_key.create"]);

    const listed = await acme.as("owner").apiKey.list();
    expect(listed.map((k) => k.id)).toContain(key.id);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(secret.slice(key.prefix.length + 1));
    expect(text).not.toContain(sha256(secret));
    expect(listed.every((k) => !("hash" in k) && !("secret" in k))).toBe(true);
  });

  it("rejects an unknown scope, naming the scopes there are", async () => {
    const error = await expectError(acme.as("owner").apiKey.create({ name: "bad", scopes: ["read", "root" as "read"] }), "BAD_REQUEST");
    expect(error.field).toBe("scopes.1");
    expect(error.message).toMatch(/read, write, predict, admin/);
  });

  it("does not let a member grant the admin scope", async () => {
    const before = (await acme.as("owner").apiKey.list()).length;
    const error = await expectError(acme.as("member").apiKey.create({ name: "sneaky", scopes: ["read", "admin"] }), "FORBIDDEN");
    expect(error.message).toMatch(/admin/);
    expect(await acme.as("owner").apiKey.list()).toHaveLength(before);
  });

  it("does not let a key grant more than its own scopes", async () => {
    const { secret } = await acme.as("owner").apiKey.create({ name: "writer", scopes: ["read", "write"] });
    await expectError(withSecret(secret).apiKey.create({ name: "escalated", scopes: ["admin"] }), "FORBIDDEN");
    await expect(withSecret(secret).apiKey.create({ name: "narrower", scopes: ["read"] })).resolves.toMatchObject({ key: { scopes: ["read"] } });
  });

  it("rejects an expiry in the past", async () => {
    const error = await expectError(acme.as("owner").apiKey.create({ name: "stale", scopes: ["read"], expiresAt: new Date(Date.now() - 60_000) }), "BAD_REQUEST");
    expect(error.field).toBe("expiresAt");
    expect(error.message).toMatch(/future/);
  });
});

describe("authenticating with a key", () => {
  it("acts for its org with its scopes, and records its use", async () => {
    const { key, secret } = await acme.as("admin").apiKey.create({ name: "deploy", scopes: ["read", "write", "predict"] });
    expect((await keyRow(key.id))?.lastUsedAt).toBeNull();

    const me = await withSecret(secret).auth.whoami();
    expect(me).toMatchObject({ kind: "api_key", org: { id: acme.org.id, slug: "acme" }, role: "member", key: { id: key.id } });
    expect([...me.scopes].sort()).toEqual(["predict", "read", "write"]);
    expect(me.user?.id).toBe(acme.users.admin.id);

    const used = (await acme.as("owner").apiKey.list()).find((k) => k.id === key.id);
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("an all-scope key acts as an admin", async () => {
    expect(await withSecret(acme.keys.all.secret).auth.whoami()).toMatchObject({ role: "admin", org: { slug: "acme" } });
  });

  it("refuses a revoked key, saying so", async () => {
    const { key, secret } = await acme.as("owner").apiKey.create({ name: "old", scopes: ["read"] });
    await acme.as("owner").apiKey.revoke({ id: key.id });
    expect((await expectError(withSecret(secret).auth.whoami(), "UNAUTHORIZED")).message).toMatch(/revoked/);
  });

  it("refuses an expired key, saying so", async () => {
    const { key, secret } = await acme.as("owner").apiKey.create({ name: "brief", scopes: ["read"], expiresAt: new Date(Date.now() + 86_400_000) });
    await expect(withSecret(secret).auth.whoami()).resolves.toMatchObject({ kind: "api_key" });
    await tdb.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(apiKeys.id, key.id));
    expect((await expectError(withSecret(secret).auth.whoami(), "UNAUTHORIZED")).message).toMatch(/expired/);
  });

  it("refuses a wrong secret behind a real prefix as unknown", async () => {
    const { secret, key } = await acme.as("owner").apiKey.create({ name: "target", scopes: ["read"] });
    const tail = secret.slice(key.prefix.length + 1);
    const forged = `${key.prefix}_${tail.startsWith("A") ? "B" : "A"}${tail.slice(1)}`;
    expect(forged).not.toBe(secret);
    expect((await expectError(withSecret(forged).auth.whoami(), "UNAUTHORIZED")).message).toMatch(/Unknown API key/);
    expect((await keyRow(key.id))?.lastUsedAt).toBeNull();
  });

  it("refuses a malformed key as malformed", async () => {
    for (const bad of ["nope", `${acme.keys.all.key.prefix}_short`, acme.keys.all.secret.replace("gky_", "gkx_")]) {
      expect((await expectError(withSecret(bad).auth.whoami(), "UNAUTHORIZED")).message).toMatch(/Malformed API key/);
    }
  });
});

describe("apiKey.revoke", () => {
  it("lets a member revoke their own key", async () => {
    const { key, secret } = await acme.as("member").apiKey.create({ name: "mine", scopes: ["read"] });
    const before = await auditActionsOf(tdb.db, acme.org.id);
    await acme.as("member").apiKey.revoke({ id: key.id });
    expect(await isRevoked(key.id)).toBe(true);
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual([...before, "api_key.revoke"]);
    await expectError(withSecret(secret).auth.whoami(), "UNAUTHORIZED");
  });

  it("does not let a member revoke another member's key", async () => {
    const colleague = await createUser(tdb.db, "colleague");
    await tdb.db.insert(memberships).values({ orgId: acme.org.id, userId: colleague.id, role: "member" });
    const { key, secret } = await callerFor(tdb.db, { userId: colleague.id, orgSlug: "acme" }).apiKey.create({ name: "theirs", scopes: ["read"] });
    const before = await auditActionsOf(tdb.db, acme.org.id);

    const error = await expectError(acme.as("member").apiKey.revoke({ id: key.id }), "FORBIDDEN");
    expect(error.message).toMatch(/Only admins/);
    expect(await isRevoked(key.id)).toBe(false);
    expect(await auditActionsOf(tdb.db, acme.org.id)).toEqual(before);
    await expect(withSecret(secret).auth.whoami()).resolves.toMatchObject({ kind: "api_key" });
  });

  it("lets an admin revoke anyone's key", async () => {
    const { key } = await acme.as("member").apiKey.create({ name: "member's", scopes: ["read"] });
    await acme.as("admin").apiKey.revoke({ id: key.id });
    expect(await isRevoked(key.id)).toBe(true);
    expect((await acme.as("owner").apiKey.list()).find((k) => k.id === key.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("does not let a viewer revoke at all", async () => {
    const { key } = await acme.as("owner").apiKey.create({ name: "owner's", scopes: ["read"] });
    await expectError(acme.as("viewer").apiKey.revoke({ id: key.id }), "FORBIDDEN");
    expect(await isRevoked(key.id)).toBe(false);
  });
});
