import type { Run, SearchRunsInput } from "@gantry/schema";
import { ZSearchRunsInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { resolveExperimentIds } from "./experiments";
import { getRunsByIds } from "./runs";
import { searchRunIds } from "./search";

/** Runs of some experiments matching an MLflow filter, ordered, one keyset page at a time. */
export async function searchRuns(ctx: OrgContext, raw: SearchRunsInput): Promise<{ runs: Run[]; nextPageToken: string | null }> {
  const input = parseInput(ZSearchRunsInput, raw);
  const experimentIds = await resolveExperimentIds(ctx, input.experimentIds);
  const { runIds, nextPageToken } = await searchRunIds(ctx.db, { orgId: ctx.orgId, experimentIds, filter: input.filter, orderBy: input.orderBy, maxResults: input.maxResults, pageToken: input.pageToken, viewType: input.viewType });
  return { runs: await getRunsByIds(ctx, runIds), nextPageToken };
}
