import { createFsArtifactStore } from "./fs-store";
import type { S3ArtifactStoreOptions } from "./s3-store";
import { createS3ArtifactStore } from "./s3-store";
import type { ArtifactStore, TempCleaner } from "./store";

export type {
  ArtifactBody,
  ArtifactStore,
  ByteRange,
  PutArtifactOptions,
  StoredArtifact,
  TempCleaner,
  TempCleanupOptions,
} from "./store";
export type { FsArtifactStore } from "./fs-store";
export type { S3ArtifactStore, S3ArtifactStoreOptions } from "./s3-store";
export { createFsArtifactStore } from "./fs-store";
export { createS3ArtifactStore } from "./s3-store";

/** Flat, as a deployable's env.ts produces them: a bucket selects S3, otherwise `root` is used. */
export type ArtifactStoreSettings = Partial<S3ArtifactStoreOptions> & {
  /** Filesystem root, used when no bucket is configured. */
  root?: string;
};

export function createArtifactStore(settings: ArtifactStoreSettings): ArtifactStore & TempCleaner {
  const { root, bucket, ...s3 } = settings;
  if (bucket !== undefined && bucket !== "") return createS3ArtifactStore({ bucket, ...s3 });
  if (root !== undefined && root !== "") return createFsArtifactStore(root);
  throw new Error("Artifact storage needs a bucket (S3) or a filesystem root; neither is configured");
}
