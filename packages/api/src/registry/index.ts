export { createRegisteredModel, getRegisteredModel, listRegisteredModels, updateRegisteredModel, renameRegisteredModel, deleteRegisteredModel, setModelTag, deleteModelTag } from "./models";
export { registerUploadedModel, type UploadModelInput } from "./upload";
export { registerVersionFromRun, getModelVersion, listModelVersions, updateModelVersion, setVersionTag, deleteVersionTag, deleteModelVersion, PIPELINE_PATH, SIGNATURE_PATH } from "./versions";
export { setAlias, deleteAlias, aliasHistory } from "./aliases";
export { resolveModelUri, parseModelUri, compareVersions, diffSignatures, type ModelUri } from "./resolve";
export { versionLineage } from "./lineage";
