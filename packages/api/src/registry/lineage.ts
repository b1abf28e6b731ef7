import { and, desc, eq, ne } from "@gantry/db";
import type { LineageEdge, LineageNode, VersionLineage } from "@gantry/schema";
import { datasets, datasetVersions, experiments, jobs, modelVersions, registeredModels, runs, ZVersionNumber } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
// The module, not the serving index: serving's deploy imports the registry.
import { endpointsServingVersion } from "../serving/served";
import { aliasesByVersion, modelByName, versionRow } from "./lookup";

/** Other versions made from the same dataset version: the newest ones, enough to draw. */
const SIBLING_LIMIT = 25;

const nodeId = (kind: LineageNode["kind"], id: string) => `${kind}:${id}`;

/**
 * Where a version came from and what it fed: its dataset version → its source run (and the job
 * that trained the run) → the version, plus the other versions trained on the same dataset
 * version. A version registered from a run that was later purged, or from a run without a
 * dataset input, simply has fewer nodes. Endpoints whose current deployment serves the version
 * follow it (`serves` edges); A/B tests join them with the A/B issue.
 */
export async function versionLineage(ctx: OrgContext, name: string, rawVersion: number): Promise<VersionLineage> {
  const number = parseInput(ZVersionNumber, rawVersion);
  const model = await modelByName(ctx, name);
  const version = await versionRow(ctx, model, number);
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];

  const aliases = await aliasesByVersion(ctx, [version.id]);
  const versionNode = nodeId("model_version", version.id);
  nodes.push({
    id: versionNode,
    kind: "model_version",
    label: `${model.name} v${version.version}`,
    focus: true,
    modelVersion: { name: model.name, version: version.version, aliases: aliases.get(version.id) ?? [], archived: version.archived },
  });

  let datasetNode: string | null = null;
  if (version.datasetVersionId) {
    const [dv] = await ctx.db
      .select({ id: datasetVersions.id, name: datasets.name, version: datasetVersions.version })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(and(eq(datasetVersions.orgId, ctx.orgId), eq(datasetVersions.id, version.datasetVersionId)));
    if (dv) {
      datasetNode = nodeId("dataset_version", dv.id);
      nodes.push({ id: datasetNode, kind: "dataset_version", label: `${dv.name}@${dv.version}`, focus: false, dataset: { name: dv.name, version: dv.version } });
    }
  }

  if (version.sourceRunId) {
    const [run] = await ctx.db
      .select({ id: runs.id, name: runs.name, status: runs.status, experimentId: runs.experimentId, experimentName: experiments.name })
      .from(runs)
      .innerJoin(experiments, eq(experiments.id, runs.experimentId))
      .where(and(eq(runs.orgId, ctx.orgId), eq(runs.id, version.sourceRunId)));
    if (run) {
      const runNode = nodeId("run", run.id);
      nodes.push({ id: runNode, kind: "run", label: run.name || run.id.slice(0, 8), focus: false, run });
      edges.push({ from: runNode, to: versionNode, kind: "registered" });
      if (datasetNode) edges.push({ from: datasetNode, to: runNode, kind: "input" });
      const [job] = await ctx.db
        .select({ id: jobs.id, status: jobs.status })
        .from(jobs)
        .where(and(eq(jobs.orgId, ctx.orgId), eq(jobs.runId, run.id)))
        .limit(1);
      if (job) {
        const jobNode = nodeId("job", job.id);
        nodes.push({ id: jobNode, kind: "job", label: `job ${job.id.slice(0, 8)}`, focus: false, job });
        edges.push({ from: jobNode, to: runNode, kind: "trained" });
      }
    }
  }

  if (datasetNode && version.datasetVersionId) {
    const siblings = await ctx.db
      .select({ id: modelVersions.id, version: modelVersions.version, archived: modelVersions.archived, name: registeredModels.name })
      .from(modelVersions)
      .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
      .where(and(eq(modelVersions.orgId, ctx.orgId), eq(modelVersions.datasetVersionId, version.datasetVersionId), ne(modelVersions.id, version.id)))
      .orderBy(desc(modelVersions.createdAt))
      .limit(SIBLING_LIMIT);
    const siblingAliases = await aliasesByVersion(
      ctx,
      siblings.map((s) => s.id),
    );
    for (const s of siblings) {
      const id = nodeId("model_version", s.id);
      nodes.push({ id, kind: "model_version", label: `${s.name} v${s.version}`, focus: false, modelVersion: { name: s.name, version: s.version, aliases: siblingAliases.get(s.id) ?? [], archived: s.archived } });
      edges.push({ from: datasetNode, to: id, kind: "trained_on" });
    }
  }
  for (const served of await endpointsServingVersion(ctx, version.id)) {
    const id = nodeId("endpoint", served.endpointId);
    nodes.push({ id, kind: "endpoint", label: `${served.endpoint} (rev ${served.revision})`, focus: false, endpoint: { name: served.endpoint, revision: served.revision } });
    edges.push({ from: versionNode, to: id, kind: "serves" });
  }
  return { nodes, edges };
}
