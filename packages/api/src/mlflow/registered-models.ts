import { ZAliasName } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import {
  createRegisteredModel,
  deleteAlias,
  deleteModelTag,
  deleteRegisteredModel,
  getRegisteredModel,
  renameRegisteredModel,
  resolveModelUri,
  setAlias,
  setModelTag,
  updateRegisteredModel,
} from "../registry";
import { modelByName } from "../registry/lookup";
import { searchRegisteredModels } from "../registry/search";
import { canonicalStage, latestVersionsByStage, modelStages } from "../registry/stages";
import { ignoreMissing } from "./errors";
import type { Message } from "./request";
import type { Routes } from "./routes";
import { wireModel, wireModels, wireVersions } from "./registry-wire";

const name = (m: Message) => m.string("name", { required: true });

const search = async (ctx: OrgContext, m: Message) => {
  const { models, nextPageToken } = await searchRegisteredModels(ctx, { filter: m.string("filter"), orderBy: m.strings("order_by"), maxResults: m.int("max_results"), pageToken: m.string("page_token") });
  return { ...(models.length ? { registered_models: await wireModels(ctx, models) } : {}), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
};

/** The newest version in each stage asked for (every stage when none is). */
const latestVersions = async (ctx: OrgContext, m: Message) => {
  const model = await modelByName(ctx, name(m));
  const stages = m.strings("stages").map(canonicalStage);
  const latest = await latestVersionsByStage(ctx, [model], stages.length ? stages : [...modelStages]);
  const versions = await wireVersions(ctx, latest.get(model.id) ?? []);
  return versions.length ? { model_versions: versions } : {};
};

export const registeredModelRoutes: Routes = {
  "POST registered-models/create": {
    scope: "write",
    handle: async (ctx, m) => {
      const tags = m.objects("tags").map((t) => ({ key: t.key as string, value: (t.value ?? "") as string }));
      const model = await createRegisteredModel(ctx, { name: name(m), description: m.string("description"), tags });
      return { registered_model: await wireModel(ctx, model) };
    },
  },
  "GET registered-models/get": { scope: "read", handle: async (ctx, m) => ({ registered_model: await wireModel(ctx, await getRegisteredModel(ctx, name(m))) }) },
  "GET registered-models/search": { scope: "read", handle: search },
  "POST registered-models/rename": {
    scope: "write",
    handle: async (ctx, m) => ({ registered_model: await wireModel(ctx, await renameRegisteredModel(ctx, name(m), m.string("new_name", { required: true }))) }),
  },
  "PATCH registered-models/update": {
    scope: "write",
    handle: async (ctx, m) => ({ registered_model: await wireModel(ctx, await updateRegisteredModel(ctx, name(m), m.string("description") ?? null)) }),
  },
  // Deleting is an admin's, as in the portal and tRPC.
  "DELETE registered-models/delete": {
    scope: "admin",
    handle: async (ctx, m) => {
      await deleteRegisteredModel(ctx, name(m));
      return {};
    },
  },
  "POST registered-models/set-tag": {
    scope: "write",
    handle: async (ctx, m) => {
      await setModelTag(ctx, name(m), { key: m.string("key", { required: true }), value: m.string("value") ?? "" });
      return {};
    },
  },
  "DELETE registered-models/delete-tag": { scope: "write", handle: (ctx, m) => ignoreMissing("key", deleteModelTag(ctx, name(m), m.string("key", { required: true }))) },
  "POST registered-models/get-latest-versions": { scope: "read", handle: latestVersions },
  "GET registered-models/get-latest-versions": { scope: "read", handle: latestVersions },
  "POST registered-models/alias": {
    scope: "write",
    handle: async (ctx, m) => {
      await setAlias(ctx, { name: name(m), alias: m.string("alias", { required: true }), version: m.int("version", { required: true }) ?? 0 });
      return {};
    },
  },
  "DELETE registered-models/alias": {
    scope: "write",
    handle: (ctx, m) => ignoreMissing("alias", deleteAlias(ctx, { name: name(m), alias: m.string("alias", { required: true }) })),
  },
  // The same lookup as `models:/name@alias` everywhere else.
  "GET registered-models/alias": {
    scope: "read",
    handle: async (ctx, m) => {
      const model = await modelByName(ctx, name(m));
      const alias = parseInput(ZAliasName, m.string("alias", { required: true }));
      const [version] = await wireVersions(ctx, [await resolveModelUri(ctx, `models:/${model.name}@${alias}`)]);
      return { model_version: version };
    },
  },
};
