export { errorResponse } from "./errors";
export { handleHealth } from "./health";
export { handleWhoami } from "./whoami";
export { handleTrpc } from "./trpc";
export { handleArtifactDownload } from "./artifact-download";
