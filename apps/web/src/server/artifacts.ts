import "server-only";

import path from "node:path";

import type { ArtifactStore } from "@gantry/api/artifacts";
import { createArtifactStore } from "@gantry/api/artifacts";

import { env } from "~/env";

const globalForStore = globalThis as unknown as { gantryArtifacts?: ArtifactStore };

/** The artifact store: S3-compatible when GANTRY_S3_BUCKET is set, else the filesystem. */
export function artifactStore(): ArtifactStore {
  const e = env();
  globalForStore.gantryArtifacts ??= createArtifactStore({
    root: path.resolve(e.GANTRY_ARTIFACT_DIR),
    bucket: e.GANTRY_S3_BUCKET,
    prefix: e.GANTRY_S3_PREFIX,
    region: e.GANTRY_S3_REGION,
    endpoint: e.GANTRY_S3_ENDPOINT,
    forcePathStyle: e.GANTRY_S3_FORCE_PATH_STYLE === "true",
  });
  return globalForStore.gantryArtifacts;
}

export const artifactOptions = () => ({ store: artifactStore(), maxBytes: env().GANTRY_ARTIFACT_MAX_BYTES });

export const datasetOptions = () => ({ store: artifactStore(), maxBytes: env().GANTRY_MAX_DATASET_BYTES });
