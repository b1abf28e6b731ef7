import { eq } from "@gantry/db";
import { datasets, datasetVersions, ZDatasetDescription } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { mutate } from "../services/audit";
import { releaseContent } from "./content-refs";
import { datasetByName } from "./lookup";

export async function setDatasetDescription(ctx: OrgContext, name: string, rawDescription: string | null): Promise<void> {
  const description = rawDescription === null ? null : parseInput(ZDatasetDescription, rawDescription);
  await mutate(
    ctx,
    (id: string) => ({ action: "dataset.update", targetType: "dataset", targetId: id, data: { name, field: "description" } }),
    async (tx) => {
      const dataset = await datasetByName({ ...ctx, db: tx }, name, { forUpdate: true });
      await tx.update(datasets).set({ description }).where(eq(datasets.id, dataset.id));
      return dataset.id;
    },
  );
}

/**
 * Deletes a dataset and all its versions. Runs that used a version keep their input record (its
 * link becomes null). With a store, the files go too, unless other rows (another dataset, of any
 * org, or an artifact) share the same bytes.
 */
export async function deleteDataset(ctx: OrgContext, name: string, options: { store?: ArtifactStore } = {}): Promise<{ versionsDeleted: number }> {
  const deleted = await mutate(
    ctx,
    (r: { id: string; hashes: string[] }) => ({ action: "dataset.delete", targetType: "dataset", targetId: r.id, data: { name, versions: r.hashes.length } }),
    async (tx) => {
      const dataset = await datasetByName({ ...ctx, db: tx }, name, { forUpdate: true });
      const versions = await tx.delete(datasetVersions).where(eq(datasetVersions.datasetId, dataset.id)).returning({ sha256: datasetVersions.sha256 });
      await tx.delete(datasets).where(eq(datasets.id, dataset.id));
      return { id: dataset.id, hashes: versions.map((v) => v.sha256) };
    },
  );
  if (options.store) for (const sha256 of new Set(deleted.hashes)) await releaseContent(ctx.db, options.store, sha256);
  return { versionsDeleted: deleted.hashes.length };
}
