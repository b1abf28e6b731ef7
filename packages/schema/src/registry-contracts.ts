import { z } from "zod";

import type { ModelSignature } from "./registry";
import { modelVersionStatuses, ZAliasName, ZModelName } from "./registry";
import { trainingTasks } from "./training";

/* Contracts of the registry surfaces (tRPC, client, CLI). The tables are in ./registry. */

export const registryLimits = { descriptionLength: 20_000, modelCardLength: 200_000, reasonLength: 1_000, tagKeyLength: 250, tagValueLength: 5_000 } as const;

export const ZModelDescription = z
  .string({ error: "description must be a string" })
  .max(registryLimits.descriptionLength, { error: `description must be at most ${registryLimits.descriptionLength} characters` });
export const ZModelCard = z
  .string({ error: "modelCard must be a string" })
  .max(registryLimits.modelCardLength, { error: `modelCard must be at most ${registryLimits.modelCardLength} characters` });
export const ZAliasReason = z.string().max(registryLimits.reasonLength, { error: `reason must be at most ${registryLimits.reasonLength} characters` });
export const ZModelTag = z.object({
  key: z.string().min(1, { error: "key must not be empty" }).max(registryLimits.tagKeyLength),
  value: z.string().max(registryLimits.tagValueLength),
});
export const ZVersionNumber = z.number({ error: "version must be a number" }).int().positive({ error: "version must be a positive integer" });

export const ZModelSignature = z.object({
  inputs: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean().optional(), categories: z.array(z.string()).optional() })),
  task: z.string().optional(),
  target: z.string().optional(),
  labels: z.array(z.string()).optional(),
}) satisfies z.ZodType<ModelSignature>;

/** Input types an uploaded model can take: it is fed numbers as given (no fitted preprocessing, so no categories). */
export const uploadedInputTypes = ["numeric", "integer", "boolean"] as const;

/**
 * The signature an uploader gives with a TensorFlow.js model: its inputs in the model's input
 * order, the task, and for classification the labels in output order.
 */
export const ZUploadedModelSignature = z
  .object({
    inputs: z
      .array(
        z.object({
          name: z.string().min(1, { error: "an input name must not be empty" }),
          type: z.enum(uploadedInputTypes, {
            error: "input type must be numeric, integer or boolean (categorical inputs are not supported for uploaded models: one-hot encode them into the model's inputs)",
          }),
        }),
        { error: "inputs must be a list of {name, type}" },
      )
      .min(1, { error: "inputs must name at least one input" }),
    task: z.enum(trainingTasks, { error: "task must be binary, multiclass or regression" }),
    target: z.string().min(1).optional(),
    labels: z.array(z.string().min(1, { error: "a label must not be empty" })).optional(),
  })
  .strict()
  .superRefine((s, issue) => {
    const names = new Set<string>();
    for (const input of s.inputs) {
      if (names.has(input.name)) issue.addIssue({ code: "custom", message: `input '${input.name}' is listed twice`, path: ["inputs"] });
      names.add(input.name);
    }
    if (s.task === "regression" && s.labels) issue.addIssue({ code: "custom", message: "a regression model has no labels", path: ["labels"] });
    if (s.task === "binary" && s.labels && s.labels.length !== 2) issue.addIssue({ code: "custom", message: "a binary model has exactly 2 labels (negative, positive)", path: ["labels"] });
    if (s.task === "multiclass" && (!s.labels || s.labels.length < 2)) issue.addIssue({ code: "custom", message: "a multiclass model needs its labels (2 or more, in output order)", path: ["labels"] });
    if (s.labels && new Set(s.labels).size !== s.labels.length) issue.addIssue({ code: "custom", message: "labels must be distinct", path: ["labels"] });
  });
export type UploadedModelSignature = z.infer<typeof ZUploadedModelSignature>;

export const ZModelAlias = z.object({ alias: z.string(), version: z.number().int() });

export const ZModelVersion = z.object({
  id: z.string(),
  modelId: z.string(),
  /** The model's name. */
  name: z.string(),
  version: z.number().int(),
  sourceRunId: z.string().nullable(),
  datasetVersionId: z.string().nullable(),
  pipelineSha256: z.string(),
  pipelineSize: z.number(),
  signature: ZModelSignature.nullable(),
  metrics: z.record(z.string(), z.number()),
  status: z.enum(modelVersionStatuses),
  description: z.string().nullable(),
  modelCard: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  archived: z.boolean(),
  aliases: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});
export type ModelVersion = z.output<typeof ZModelVersion>;

export const ZRegisteredModel = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  versionCount: z.number().int(),
  latestVersion: z.number().int().nullable(),
  aliases: z.array(ZModelAlias),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type RegisteredModel = z.output<typeof ZRegisteredModel>;

export const ZAliasEvent = z.object({
  id: z.string(),
  alias: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  actorLabel: z.string(),
  reason: z.string().nullable(),
  createdAt: z.date(),
});
export type AliasEvent = z.output<typeof ZAliasEvent>;

export const ZSignatureDiff = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  /** Inputs in both whose type, requiredness or categories differ. */
  changed: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
});
export type SignatureDiff = z.output<typeof ZSignatureDiff>;

export const ZVersionComparison = z.object({
  name: z.string(),
  versions: z.array(z.object({ version: z.number().int(), sourceRunId: z.string().nullable(), aliases: z.array(z.string()), createdAt: z.date() })),
  /** Every metric key of any version; `values[i]` belongs to `versions[i]` (null when absent). */
  metrics: z.array(z.object({ key: z.string(), values: z.array(z.number().nullable()) })),
  /** Each version's signature against the first's. */
  signatureDiffs: z.array(z.object({ version: z.number().int(), diff: ZSignatureDiff })),
});
export type VersionComparison = z.output<typeof ZVersionComparison>;

/* Inputs */

export const ZModelNameInput = z.object({ name: ZModelName });
export const ZCreateModelInput = z.object({ name: ZModelName, description: ZModelDescription.optional(), tags: z.array(ZModelTag).max(100).optional() });
export type CreateModelInput = z.input<typeof ZCreateModelInput>;
export const ZUpdateModelInput = z.object({ name: ZModelName, description: ZModelDescription.nullable() });
export const ZRenameModelInput = z.object({ name: ZModelName, newName: ZModelName });
export const ZModelTagInput = z.object({ name: ZModelName, tag: ZModelTag });
export const ZModelTagKeyInput = z.object({ name: ZModelName, key: z.string().min(1) });
export const ZModelVersionRef = z.object({ name: ZModelName, version: ZVersionNumber });
export const ZListModelVersionsInput = z.object({ name: ZModelName, includeArchived: z.boolean().default(true) });
export const ZRegisterVersionInput = z.object({
  /** The registered model; created when missing. */
  name: ZModelName,
  runId: z.string().min(1, { error: "runId is required" }),
  description: ZModelDescription.optional(),
});
export type RegisterVersionInput = z.input<typeof ZRegisterVersionInput>;
/** The fields of an upload besides its files (model.json, weights) and signature. */
export const ZUploadModelFields = z.object({ name: ZModelName, description: ZModelDescription.optional() });
export const ZUpdateModelVersionInput = ZModelVersionRef.extend({
  description: ZModelDescription.nullable().optional(),
  modelCard: ZModelCard.nullable().optional(),
  archived: z.boolean().optional(),
});
export type UpdateModelVersionInput = z.input<typeof ZUpdateModelVersionInput>;
export const ZVersionTagInput = ZModelVersionRef.extend({ tag: ZModelTag });
export const ZVersionTagKeyInput = ZModelVersionRef.extend({ key: z.string().min(1) });
export const ZSetAliasInput = z.object({ name: ZModelName, alias: ZAliasName, version: ZVersionNumber, reason: ZAliasReason.optional() });
export type SetAliasInput = z.input<typeof ZSetAliasInput>;
export const ZDeleteAliasInput = z.object({ name: ZModelName, alias: ZAliasName, reason: ZAliasReason.optional() });
export type DeleteAliasInput = z.input<typeof ZDeleteAliasInput>;
export const ZAliasHistoryInput = z.object({ name: ZModelName, alias: ZAliasName.optional() });
export const ZResolveModelUriInput = z.object({ uri: z.string().min(1, { error: "uri is required" }) });
export const ZCompareVersionsInput = z.object({ name: ZModelName, versions: z.array(ZVersionNumber).min(1).max(20) });

/* Lineage */

/** Layers, left to right: dataset version (and the job that trained) → run → model version → what serves it. */
export const lineageNodeKinds = ["dataset_version", "job", "run", "model_version", "endpoint", "ab_test"] as const;
export type LineageNodeKind = (typeof lineageNodeKinds)[number];

export const ZLineageNode = z.object({
  /** `<kind>:<entity id>`: unique in the graph. */
  id: z.string(),
  kind: z.enum(lineageNodeKinds),
  label: z.string(),
  /** The version the lineage was asked for. */
  focus: z.boolean(),
  dataset: z.object({ name: z.string(), version: z.number().int() }).optional(),
  run: z.object({ id: z.string(), name: z.string(), status: z.string(), experimentId: z.string(), experimentName: z.string() }).optional(),
  modelVersion: z.object({ name: z.string(), version: z.number().int(), aliases: z.array(z.string()), archived: z.boolean() }).optional(),
  job: z.object({ id: z.string(), status: z.string() }).optional(),
  /** An endpoint whose current deployment revision serves the version. */
  endpoint: z.object({ name: z.string(), revision: z.number().int() }).optional(),
});
export type LineageNode = z.output<typeof ZLineageNode>;

export const ZLineageEdge = z.object({
  from: z.string(),
  to: z.string(),
  /** input: a run read a dataset version; trained: a job made a run; registered: a run became a version; trained_on: another version made from the same dataset version. */
  kind: z.enum(["input", "trained", "registered", "trained_on", "serves"]),
});
export type LineageEdge = z.output<typeof ZLineageEdge>;

export const ZVersionLineage = z.object({ nodes: z.array(ZLineageNode), edges: z.array(ZLineageEdge) });
export type VersionLineage = z.output<typeof ZVersionLineage>;
