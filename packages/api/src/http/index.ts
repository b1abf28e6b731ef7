export { errorResponse } from "./errors";
export { handleHealth } from "./health";
export { handleWhoami } from "./whoami";
export { handleTrpc } from "./trpc";
export { handleArtifactDownload } from "./artifact-download";
export { handleDatasetUpload, handleDatasetDownload, type DatasetRouteOptions, type DatasetUploadRouteOptions } from "./datasets";
export { handleModelUpload, type ModelUploadRouteOptions } from "./models";
export { handleServingInfo } from "./serving";
