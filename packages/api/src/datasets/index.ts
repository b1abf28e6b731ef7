export { createDatasetVersion, type CreateDatasetVersionInput } from "./upload";
export { resolveDatasetVersion, getDatasetVersion, datasetByName } from "./lookup";
export { readDatasetTable, previewDatasetVersion, openDatasetFile, runsUsingVersion, listDatasets, getDataset, type DatasetTable, type DatasetFile } from "./read";
export { setDatasetDescription, deleteDataset } from "./manage";
export { linkRunToDatasetVersion } from "./link";
export { matchDatasetVersions, datasetVersionSource, parseDatasetVersionSource } from "./match";
export { isContentReferenced } from "./content-refs";
export type { Cell } from "./values";
