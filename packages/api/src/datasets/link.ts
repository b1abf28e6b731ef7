import type { ColumnType } from "@gantry/schema";

import type { OrgContext } from "../context";
import { logInputs } from "../tracking/inputs";
import { getDatasetVersion } from "./lookup";
import { datasetVersionSource } from "./match";

/** MLflow's column types for the schema shown with a run's dataset inputs. */
const mlflowType: Record<ColumnType, string> = {
  numeric: "double",
  integer: "long",
  boolean: "boolean",
  datetime: "datetime",
  categorical: "string",
  text: "string",
};

/**
 * Records that a run used a dataset version (the training worker calls this): an MLflow dataset
 * input named after the dataset, digest = the first 36 hex characters of its sha256, source_type
 * "gantry", source `gantry:datasets/NAME@VERSION`, with MLflow's colspec schema and row count.
 * Idempotent.
 */
export async function linkRunToDatasetVersion(ctx: OrgContext, runId: string, versionId: string): Promise<void> {
  const version = await getDatasetVersion(ctx, versionId);
  await logInputs(ctx, runId, [
    {
      tags: [{ key: "mlflow.data.context", value: "training" }],
      dataset: {
        name: version.name,
        digest: version.sha256.slice(0, 36),
        sourceType: "gantry",
        source: datasetVersionSource(version.name, version.version),
        schema: JSON.stringify({ mlflow_colspec: version.columns.map((c) => ({ type: mlflowType[c.type], name: c.name })) }),
        profile: JSON.stringify({ num_rows: version.rowCount, num_elements: version.rowCount * version.columns.length }),
      },
    },
  ]);
}
