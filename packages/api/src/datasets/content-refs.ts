import type { Executor } from "@gantry/db";
import { eq, sql } from "@gantry/db";
import { artifacts, datasetVersions, loggedModelArtifacts } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";

/**
 * Whether any row, of any org, points at these bytes. The store is content-addressed and shared
 * (run artifacts, logged models, dataset versions): bytes are only deleted when nothing does.
 */
export async function isContentReferenced(db: Executor, sha256: string): Promise<boolean> {
  const [row] = await db.execute<{ referenced: boolean }>(sql`select
    exists (select 1 from ${datasetVersions} where ${eq(datasetVersions.sha256, sha256)})
    or exists (select 1 from ${artifacts} where ${eq(artifacts.sha256, sha256)})
    or exists (select 1 from ${loggedModelArtifacts} where ${eq(loggedModelArtifacts.sha256, sha256)}) as referenced`);
  return row?.referenced ?? true;
}

/** Deletes the bytes when no row references them; a failure to delete leaves an orphan, not an error. */
export async function releaseContent(db: Executor, store: ArtifactStore, sha256: string): Promise<boolean> {
  if (await isContentReferenced(db, sha256)) return false;
  await store.delete(sha256).catch((error: unknown) => console.warn(`Could not delete unreferenced content ${sha256}:`, error));
  return true;
}
