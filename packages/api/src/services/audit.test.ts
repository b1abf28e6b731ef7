import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { desc, eq } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";
import { auditEvents } from "@gantry/schema";

import type { Caller, OrgFixture } from "../testing";
import { createOrgFixture } from "../testing";
import { expectError } from "../testing/assertions";

const tdb = await createTestDatabase();
let acme: OrgFixture;
let other: OrgFixture;
beforeAll(async () => {
  acme = await createOrgFixture(tdb.db, "acme");
  other = await createOrgFixture(tdb.db, "other");
  // Known events on top of the fixture's own (org.create, api_key.create ×3, invitation.create).
  for (const name of ["First", "Second", "Third"]) await acme.as("admin").org.rename({ name });
  await acme.withKey("all").org.rename({ name: "By key" });
  await other.as("owner").org.rename({ name: "Other's rename" });
});
afterAll(() => tdb.drop());

/** Every event of the org, newest first, straight from the table. */
const eventIdsOf = async (orgId: string) =>
  (await tdb.db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(desc(auditEvents.id))).map((e) => e.id);

/** Follows nextCursor to the end, returning every page. */
async function allPages(caller: Caller, input: { limit: number; action?: string }) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await caller.audit.list({ ...input, cursor });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return pages;
}

describe("audit.list", () => {
  it("pages through every event of the org, newest first, without gaps or repeats", async () => {
    const expected = await eventIdsOf(acme.org.id);
    // The fixture's 7 (org, 3 keys, invitation, experiment, run) and the test's 4 renames.
    expect(expected).toHaveLength(11);

    const pages = await allPages(acme.as("admin"), { limit: 4 });
    expect(pages.map((p) => p.items.length)).toEqual([4, 4, 3]);
    expect(pages.flatMap((p) => p.items.map((e) => e.id))).toEqual(expected);
    expect(pages.map((p) => p.nextCursor)).toEqual([pages[0]?.items[3]?.id, pages[1]?.items[3]?.id, null]);

    const newest = pages[0]?.items[0];
    expect(newest).toMatchObject({ action: "org.update", actorType: "api_key", actorId: acme.keys.all.key.id, data: { name: "By key" } });
    expect(pages.at(-1)?.items.at(-1)).toMatchObject({ action: "org.create", actorType: "user", actorId: acme.users.owner.id });
  });

  it("says there is no next page when the last page is exactly full", async () => {
    const page = await acme.as("owner").audit.list({ limit: 11 });
    expect(page.items).toHaveLength(11);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by action, and pages within the filter", async () => {
    const pages = await allPages(acme.as("owner"), { limit: 2, action: "org.update" });
    const items = pages.flatMap((p) => p.items);
    expect(items.map((e) => e.action)).toEqual(Array(4).fill("org.update"));
    expect(items.map((e) => e.data.name)).toEqual(["By key", "Third", "Second", "First"]);
    expect(items[1]).toMatchObject({ actorType: "user", actorId: acme.users.admin.id, actorLabel: acme.users.admin.email });

    const keys = await acme.as("owner").audit.list({ action: "api_key.create" });
    expect(keys.items).toHaveLength(3);
    expect((await acme.as("owner").audit.list({ action: "no.such.action" })).items).toEqual([]);
  });

  it("shows only the caller's org", async () => {
    const theirs = await eventIdsOf(other.org.id);
    const ours = (await acme.as("owner").audit.list({ limit: 200 })).items;
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours.map((e) => e.id).filter((id) => theirs.includes(id))).toEqual([]);
    expect(JSON.stringify(ours)).not.toContain("Other's rename");
  });

  it("is for admins only", async () => {
    await expectError(acme.as("member").audit.list({}), "FORBIDDEN");
    await expectError(acme.as("viewer").audit.list({}), "FORBIDDEN");
    await expectError(acme.withKey("read").audit.list({}), "FORBIDDEN");
    await expect(acme.withKey("all").audit.list({ limit: 1 })).resolves.toMatchObject({ items: [expect.objectContaining({ action: "org.update" })] });
  });

  it("rejects a cursor that is not an event id", async () => {
    const error = await expectError(acme.as("owner").audit.list({ cursor: "yesterday" }), "BAD_REQUEST");
    expect(error.field).toBe("cursor");
  });
});
