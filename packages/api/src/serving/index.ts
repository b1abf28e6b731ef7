export { createEndpoint, listEndpoints, getEndpoint, updateEndpoint, deleteEndpoint, pauseEndpoint, resumeEndpoint } from "./endpoints";
export { deploy, rollback, redeployFollowers } from "./deploy";
export { versionsServedBy, endpointsServingVersion, assertNotServed, type ServingEndpoint } from "./served";
