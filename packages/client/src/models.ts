import { readFile } from "node:fs/promises";

import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { AliasEvent, ModelVersion, RegisteredModel, VersionComparison } from "@gantry/schema/registry-contracts";

import { wrap } from "./jobs";

type Rest = <T>(path: string, init?: RequestInit) => Promise<T>;

export type ModelUploadInput = {
  name: string;
  /** Path of the `model.json` that `model.save()` wrote (topology + weightsManifest). */
  modelJson: string;
  /** Path of the weights: the manifest's weights files concatenated in manifest order. */
  weights: string;
  /** `{ inputs: [{ name, type: "numeric" | "integer" | "boolean" }], task, target?, labels? }`, inputs in the model's input order. */
  signature: unknown;
  description?: string;
};

export type ModelsClient = {
  list: () => Promise<RegisteredModel[]>;
  /** A registered model with its version count and aliases. */
  get: (name: string) => Promise<RegisteredModel>;
  /** Its versions, newest first (archived ones included unless asked otherwise). */
  versions: (name: string, options?: { includeArchived?: boolean }) => Promise<ModelVersion[]>;
  version: (name: string, version: number) => Promise<ModelVersion>;
  /** A FINISHED run's `model/pipeline.json` as the next version of `name` (the model is created when missing). */
  register: (input: { name: string; runId: string; description?: string }) => Promise<ModelVersion>;
  /** Points the alias at the version; the move is recorded with the reason. `latest` and `v<n>` are reserved. */
  setAlias: (input: { name: string; alias: string; version: number; reason?: string }) => Promise<ModelVersion>;
  deleteAlias: (input: { name: string; alias: string; reason?: string }) => Promise<void>;
  aliasHistory: (name: string, alias?: string) => Promise<AliasEvent[]>;
  /** `models:/name@alias`, `models:/name/3` or `models:/name/latest` → the version. */
  resolve: (uri: string) => Promise<ModelVersion>;
  compare: (name: string, versions: number[]) => Promise<VersionComparison>;
  /** An uploaded TensorFlow.js LayersModel as the next version of `name` (the model is created when missing). */
  upload: (input: ModelUploadInput) => Promise<ModelVersion>;
};

export function createModelsClient(api: TRPCClient<AppRouter>, rest: Rest): ModelsClient {
  return {
    list: wrap(() => api.model.list.query()),
    get: wrap((name: string) => api.model.get.query({ name })),
    versions: wrap((name: string, options: { includeArchived?: boolean } = {}) => api.model.versions.query({ name, ...options })),
    version: wrap((name: string, version: number) => api.model.version.query({ name, version })),
    register: wrap((input: { name: string; runId: string; description?: string }) => api.model.register.mutate(input)),
    setAlias: wrap((input: { name: string; alias: string; version: number; reason?: string }) => api.model.setAlias.mutate(input)),
    deleteAlias: wrap(async (input: { name: string; alias: string; reason?: string }) => {
      await api.model.deleteAlias.mutate(input);
    }),
    aliasHistory: wrap((name: string, alias?: string) => api.model.aliasHistory.query({ name, alias })),
    resolve: wrap((uri: string) => api.model.resolve.query({ uri })),
    compare: wrap((name: string, versions: number[]) => api.model.compare.query({ name, versions })),
    upload: async (input: ModelUploadInput) => {
      const form = new FormData();
      form.append("model.json", new Blob([await readFile(input.modelJson)], { type: "application/json" }), "model.json");
      form.append("weights", new Blob([await readFile(input.weights)], { type: "application/octet-stream" }), "weights.bin");
      form.append("signature", JSON.stringify(input.signature));
      if (input.description !== undefined) form.append("description", input.description);
      const version = await rest<Omit<ModelVersion, "createdAt"> & { createdAt: string }>(`/api/v1/models/${encodeURIComponent(input.name)}/versions`, { method: "POST", body: form });
      return { ...version, createdAt: new Date(version.createdAt) };
    },
  };
}
