export { handleMlflow, handleMlflowArtifacts, handleServerInfo, type MlflowOptions } from "./router";
