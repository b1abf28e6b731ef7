import { z } from "zod";

import { GantryError, ZModelTag } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { deleteModelVersion, deleteVersionTag, getModelVersion, registerVersionFromRun, setVersionTag, updateModelVersion } from "../registry";
import { modelByName } from "../registry/lookup";
import { searchModelVersions } from "../registry/search";
import { transitionVersionStage } from "../registry/stages";
import { MODEL_ARTIFACT_DIR, versionSourceUris } from "../registry/version-sources";
import { ignoreMissing } from "./errors";
import type { Message } from "./request";
import type { Routes } from "./routes";
import { wireVersions } from "./registry-wire";

const invalidSource = (detail: string) => new GantryError("INVALID_INPUT", `Invalid source: ${detail}`, { field: "source" });

/**
 * The run a `source` names: `runs:/<run>/model` or the run's own artifact URI
 * (`mlflow-artifacts:/<experiment>/<run>/artifacts/model`, what clients resolve `runs:/` to).
 * Only a run's `model` directory (where training writes `model/pipeline.json`) can be registered.
 */
export function runOfSource(source: string, runId: string | undefined): string {
  const m = /^runs:\/([^/]+)\/(.*)$/.exec(source) ?? /^mlflow-artifacts:\/[^/]+\/([^/]+)\/artifacts\/(.*)$/.exec(source);
  if (!m?.[1]) throw invalidSource(`'${source}' is not runs:/<run_id>/${MODEL_ARTIFACT_DIR} or a run's artifact URI`);
  if ((m[2] ?? "").replace(/\/+$/, "") !== MODEL_ARTIFACT_DIR) throw invalidSource(`only a run's '${MODEL_ARTIFACT_DIR}' directory can be registered, not '${m[2] ?? ""}'`);
  if (runId && runId !== m[1]) throw invalidSource(`it names run ${m[1]}, but run_id is ${runId}`);
  return m[1];
}

const ref = (m: Message) => ({ name: m.string("name", { required: true }), version: m.int("version", { required: true }) ?? 0 });

const one = async (ctx: OrgContext, version: Parameters<typeof wireVersions>[1][number]) => {
  const [wired] = await wireVersions(ctx, [version]);
  return { model_version: wired };
};

export const modelVersionRoutes: Routes = {
  // MLflow needs the registered model to exist first (the client creates it); so do we.
  "POST model-versions/create": {
    scope: "write",
    handle: async (ctx, m, env) => {
      const model = await modelByName(ctx, m.string("name", { required: true }));
      const runId = runOfSource(m.string("source", { required: true }), m.string("run_id"));
      // Checked before registering: a bad tag must not leave a version behind.
      const tags = parseInput(z.array(ZModelTag).max(100), m.objects("tags").map((t) => ({ key: t.key, value: t.value ?? "" })));
      const created = await registerVersionFromRun(ctx, env.store, { name: model.name, runId, description: m.string("description") });
      for (const tag of tags) await setVersionTag(ctx, created, tag);
      return one(ctx, tags.length ? await getModelVersion(ctx, created.name, created.version) : created);
    },
  },
  "GET model-versions/get": { scope: "read", handle: async (ctx, m) => one(ctx, await getModelVersion(ctx, ref(m).name, ref(m).version)) },
  "GET model-versions/search": {
    scope: "read",
    handle: async (ctx, m) => {
      const { versions, nextPageToken } = await searchModelVersions(ctx, { filter: m.string("filter"), orderBy: m.strings("order_by"), maxResults: m.int("max_results"), pageToken: m.string("page_token") });
      return { ...(versions.length ? { model_versions: await wireVersions(ctx, versions) } : {}), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
    },
  },
  "PATCH model-versions/update": {
    scope: "write",
    handle: async (ctx, m) => one(ctx, await updateModelVersion(ctx, { ...ref(m), description: m.string("description") ?? null })),
  },
  // Deleting is an admin's, as in the portal and tRPC.
  "DELETE model-versions/delete": {
    scope: "admin",
    handle: async (ctx, m) => {
      await deleteModelVersion(ctx, ref(m).name, ref(m).version);
      return {};
    },
  },
  "POST model-versions/set-tag": {
    scope: "write",
    handle: async (ctx, m) => {
      await setVersionTag(ctx, ref(m), { key: m.string("key", { required: true }), value: m.string("value") ?? "" });
      return {};
    },
  },
  "DELETE model-versions/delete-tag": {
    scope: "write",
    handle: (ctx, m) => ignoreMissing("key", deleteVersionTag(ctx, ref(m), m.string("key", { required: true }))),
  },
  // Kept for old clients: the stage is the version tag `mlflow.stage`.
  "POST model-versions/transition-stage": {
    scope: "write",
    handle: async (ctx, m) =>
      one(ctx, await transitionVersionStage(ctx, { ...ref(m), stage: m.string("stage", { required: true }), archiveExisting: m.bool("archive_existing_versions") ?? false })),
  },
  // The run's model directory, served by our artifact proxy (and its auth).
  "GET model-versions/get-download-uri": {
    scope: "read",
    handle: async (ctx, m) => {
      const version = await getModelVersion(ctx, ref(m).name, ref(m).version);
      const uri = (await versionSourceUris(ctx, [version])).get(version.id);
      if (!uri) throw new GantryError("NOT_FOUND", `The run of version ${version.version} of '${version.name}' no longer exists`, { field: "version" });
      return { artifact_uri: uri };
    },
  },
};
