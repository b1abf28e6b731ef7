import { z } from "zod";

import { runInputs } from "@gantry/schema";

import type { OrgContext } from "../context";
import { matchDatasetVersions } from "../datasets/match";
import { parseInput } from "../parse";
import { activeRunRow } from "./runs";

const ZDatasetInput = z.object({
  tags: z.array(z.object({ key: z.string().max(250), value: z.string().max(5000) })).max(100).default([]),
  dataset: z.object({
    name: z.string({ error: "dataset.name is required" }).min(1).max(500),
    digest: z.string({ error: "dataset.digest is required" }).min(1).max(36),
    sourceType: z.string({ error: "dataset.source_type is required" }).min(1).max(36),
    source: z.string({ error: "dataset.source is required" }).max(65_535),
    schema: z.string().max(1_048_576).optional(),
    profile: z.string().max(16_384).optional(),
  }),
});
export const ZLogInputsInput = z.array(ZDatasetInput).max(1000);
export type LogInputsInput = z.input<typeof ZLogInputsInput>;

/**
 * MLflow runs/log-inputs: dataset inputs of a run (idempotent per name + digest). An input that
 * names one of the org's dataset versions (by `gantry:datasets/NAME@VERSION` source or by sha256
 * digest prefix, see datasets/match.ts) is linked to it.
 */
export async function logInputs(ctx: OrgContext, runId: string, raw: LogInputsInput): Promise<void> {
  const inputs = parseInput(ZLogInputsInput, raw);
  if (inputs.length === 0) return;
  const run = await activeRunRow(ctx, runId);
  const links = await matchDatasetVersions(ctx, inputs.map((i) => i.dataset));
  await ctx.db
    .insert(runInputs)
    .values(
      inputs.map((i, n) => ({
        orgId: ctx.orgId,
        runId: run.id,
        name: i.dataset.name,
        digest: i.dataset.digest,
        sourceType: i.dataset.sourceType,
        source: i.dataset.source,
        schema: i.dataset.schema ?? null,
        profile: i.dataset.profile ?? null,
        tags: i.tags,
        datasetVersionId: links[n] ?? null,
      })),
    )
    .onConflictDoNothing();
}
