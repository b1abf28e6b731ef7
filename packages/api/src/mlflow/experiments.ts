import type { OrgContext } from "../context";
import { createExperiment, deleteExperimentTag, getExperiment, getExperimentByName, renameExperiment, setExperimentLifecycle, setExperimentTag } from "../tracking/experiments";
import { searchExperiments } from "../tracking/experiment-search";
import { ZViewType } from "@gantry/schema";
import type { Message } from "./request";
import type { Routes } from "./routes";
import { wireExperiment } from "./wire";
import { parseInput } from "../parse";

const search = async (ctx: OrgContext, m: Message) => {
  const result = await searchExperiments(ctx, {
    filter: m.string("filter"),
    orderBy: m.strings("order_by"),
    maxResults: m.int("max_results"),
    pageToken: m.string("page_token"),
    viewType: parseInput(ZViewType, m.string("view_type") ?? "ACTIVE_ONLY"),
  });
  return {
    ...(result.experiments.length ? { experiments: result.experiments.map(wireExperiment) } : {}),
    ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
  };
};

export const experimentRoutes: Routes = {
  "POST experiments/create": {
    scope: "write",
    handle: async (ctx, m) => {
      const tags = m.objects("tags").map((t) => ({ key: t.key as string, value: t.value as string }));
      const e = await createExperiment(ctx, { name: m.string("name", { required: true }), artifactLocation: m.string("artifact_location"), tags });
      return { experiment_id: e.id };
    },
  },
  "GET experiments/get": { scope: "read", handle: async (ctx, m) => ({ experiment: wireExperiment(await getExperiment(ctx, m.string("experiment_id", { required: true }))) }) },
  "GET experiments/get-by-name": {
    scope: "read",
    handle: async (ctx, m) => ({ experiment: wireExperiment(await getExperimentByName(ctx, m.string("experiment_name", { required: true }))) }),
  },
  "POST experiments/search": { scope: "read", handle: search },
  "GET experiments/search": { scope: "read", handle: search },
  // Removed in MLflow 2.0; clients older than 1.28 still call it.
  "GET experiments/list": { scope: "read", handle: search },
  "POST experiments/update": {
    scope: "write",
    handle: async (ctx, m) => {
      await renameExperiment(ctx, m.string("experiment_id", { required: true }), m.string("new_name", { required: true }));
      return {};
    },
  },
  "POST experiments/delete": {
    scope: "write",
    handle: async (ctx, m) => {
      await setExperimentLifecycle(ctx, m.string("experiment_id", { required: true }), "deleted");
      return {};
    },
  },
  "POST experiments/restore": {
    scope: "write",
    handle: async (ctx, m) => {
      await setExperimentLifecycle(ctx, m.string("experiment_id", { required: true }), "active");
      return {};
    },
  },
  "POST experiments/set-experiment-tag": {
    scope: "write",
    handle: async (ctx, m) => {
      await setExperimentTag(ctx, m.string("experiment_id", { required: true }), { key: m.string("key", { required: true }), value: m.string("value") ?? "" });
      return {};
    },
  },
  "POST experiments/delete-experiment-tag": {
    scope: "write",
    handle: async (ctx, m) => {
      await deleteExperimentTag(ctx, m.string("experiment_id", { required: true }), m.string("key", { required: true }));
      return {};
    },
  },
};
