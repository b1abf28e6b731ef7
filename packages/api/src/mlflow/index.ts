export { handleMlflow, handleMlflowArtifacts, handleServerInfo, mlflowRouteKeys, type MlflowOptions } from "./router";
