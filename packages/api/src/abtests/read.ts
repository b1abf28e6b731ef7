import { and, desc, eq } from "@gantry/db";
import type { AbTest } from "@gantry/schema";
import { abTests, endpoints, GantryError, ZAbTestIdInput, ZListAbTestsInput } from "@gantry/schema";
import type { z } from "zod";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";

export type AbTestRow = typeof abTests.$inferSelect;

const toAbTest = (row: AbTestRow, endpoint: string): AbTest => ({
  id: row.id,
  name: row.name,
  endpoint,
  hypothesis: row.hypothesis,
  kind: row.kind,
  status: row.status,
  variants: row.variants.map(({ name, model, version, modelVersionId, weight }) => ({ name, model, version, modelVersionId, weight })),
  primaryMetric: row.primaryMetric,
  guardrails: row.guardrails,
  plan: row.plan,
  promoteAlias: row.promoteAlias,
  startedAt: row.startedAt,
  stoppedAt: row.stoppedAt,
  decision: row.decision,
  decidedBy: row.decidedByLabel,
  createdBy: row.createdByLabel,
});

/** The org's test with that id (locked `FOR UPDATE` when asked); NOT_FOUND for another org's. */
export async function abTestRow(ctx: OrgContext, id: string, options: { forUpdate?: boolean } = {}): Promise<{ test: AbTestRow; endpoint: string }> {
  parseInput(ZAbTestIdInput, { id });
  const query = ctx.db
    .select({ test: abTests, endpoint: endpoints.name })
    .from(abTests)
    .innerJoin(endpoints, eq(endpoints.id, abTests.endpointId))
    .where(and(eq(abTests.orgId, ctx.orgId), eq(abTests.id, id)));
  const [row] = options.forUpdate ? await query.for("update", { of: abTests }) : await query;
  if (!row) throw new GantryError("NOT_FOUND", `No A/B test ${id}`, { field: "id" });
  return row;
}

export async function getAbTest(ctx: OrgContext, id: string): Promise<AbTest> {
  const { test, endpoint } = await abTestRow(ctx, id);
  return toAbTest(test, endpoint);
}

/** Newest first; by endpoint and status when asked. */
export async function listAbTests(ctx: OrgContext, raw: z.input<typeof ZListAbTestsInput> = {}): Promise<AbTest[]> {
  const input = parseInput(ZListAbTestsInput, raw);
  const rows = await ctx.db
    .select({ test: abTests, endpoint: endpoints.name })
    .from(abTests)
    .innerJoin(endpoints, eq(endpoints.id, abTests.endpointId))
    .where(and(eq(abTests.orgId, ctx.orgId), input.endpoint ? eq(endpoints.name, input.endpoint) : undefined, input.status ? eq(abTests.status, input.status) : undefined))
    .orderBy(desc(abTests.createdAt))
    .limit(200);
  return rows.map((r) => toAbTest(r.test, r.endpoint));
}
