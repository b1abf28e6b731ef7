import type { OrgContext } from "../context";
import { listArtifacts } from "../tracking/artifacts";
import type { LoggedModel } from "../tracking/logged-models";
import { createLoggedModel, deleteLoggedModel, deleteLoggedModelTag, getLoggedModel, searchLoggedModels, updateLoggedModel } from "../tracking/logged-models";
import type { Message } from "./request";
import { decodePathPart } from "./request";

/** jsonb keeps its own key order; the wire lists pairs by key. */
const pairs = (record: Record<string, string>) =>
  Object.entries(record)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => ({ key, value }));

export const wireLoggedModel = (m: LoggedModel) => ({
  info: {
    model_id: m.id,
    experiment_id: m.experimentId,
    name: m.name,
    creation_timestamp_ms: m.creationTime,
    last_updated_timestamp_ms: m.lastUpdateTime,
    artifact_uri: m.artifactUri,
    status: m.status,
    ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
    ...(m.modelType ? { model_type: m.modelType } : {}),
    ...(Object.keys(m.tags).length ? { tags: pairs(m.tags) } : {}),
  },
  data: { ...(Object.keys(m.params).length ? { params: pairs(m.params) } : {}) },
});

const kv = (m: Message, field: string) => m.objects(field).map((t) => ({ key: t.key as string, value: t.value as string }));

/** MLflow 3 LoggedModel routes: `log_model` needs them (a 404 breaks it). `{id}` is a path parameter. */
export type PatternRoute = { method: string; pattern: RegExp; scope: "read" | "write"; handle: (ctx: OrgContext, m: Message, params: string[]) => Promise<Record<string, unknown>> };

export const loggedModelRoutes: PatternRoute[] = [
  {
    method: "POST",
    pattern: /^logged-models$/,
    scope: "write",
    handle: async (ctx, m) => ({
      model: wireLoggedModel(
        await createLoggedModel(ctx, {
          experimentId: m.string("experiment_id", { required: true }),
          name: m.string("name"),
          modelType: m.string("model_type"),
          sourceRunId: m.string("source_run_id"),
          params: kv(m, "params"),
          tags: kv(m, "tags"),
        }),
      ),
    }),
  },
  {
    method: "POST",
    pattern: /^logged-models\/search$/,
    scope: "read",
    handle: async (ctx, m) => {
      const { models, nextPageToken } = await searchLoggedModels(ctx, { experimentIds: m.strings("experiment_ids"), maxResults: m.int("max_results"), pageToken: m.string("page_token") });
      return { ...(models.length ? { models: models.map(wireLoggedModel) } : {}), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
    },
  },
  { method: "GET", pattern: /^logged-models\/([^/]+)$/, scope: "read", handle: async (ctx, _m, [id = ""]) => ({ model: wireLoggedModel(await getLoggedModel(ctx, id)) }) },
  {
    method: "PATCH",
    pattern: /^logged-models\/([^/]+)$/,
    scope: "write",
    handle: async (ctx, m, [id = ""]) => ({ model: wireLoggedModel(await updateLoggedModel(ctx, id, { status: m.string("status") })) }),
  },
  {
    method: "DELETE",
    pattern: /^logged-models\/([^/]+)$/,
    scope: "write",
    handle: async (ctx, _m, [id = ""]) => {
      await deleteLoggedModel(ctx, id);
      return {};
    },
  },
  {
    method: "PATCH",
    pattern: /^logged-models\/([^/]+)\/tags$/,
    scope: "write",
    handle: async (ctx, m, [id = ""]) => {
      await updateLoggedModel(ctx, id, { tags: kv(m, "tags") });
      return {};
    },
  },
  {
    method: "DELETE",
    pattern: /^logged-models\/([^/]+)\/tags\/(.+)$/,
    scope: "write",
    handle: async (ctx, _m, [id = "", key = ""]) => {
      await deleteLoggedModelTag(ctx, id, decodePathPart(key, "key"));
      return {};
    },
  },
  {
    method: "POST",
    pattern: /^logged-models\/([^/]+)\/params$/,
    scope: "write",
    handle: async (ctx, m, [id = ""]) => {
      await updateLoggedModel(ctx, id, { params: kv(m, "params") });
      return {};
    },
  },
  {
    method: "GET",
    pattern: /^logged-models\/([^/]+)\/artifacts\/directories$/,
    scope: "read",
    handle: async (ctx, m, [id = ""]) => {
      const listing = await listArtifacts(ctx, { owner: { kind: "model", id }, path: m.string("artifact_directory_path") });
      return {
        root_uri: listing.rootUri,
        ...(listing.files.length ? { files: listing.files.map((f) => ({ path: f.path, is_dir: f.isDir, ...(f.isDir ? {} : { file_size: f.fileSize }) })) } : {}),
      };
    },
  },
];
