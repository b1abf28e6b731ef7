export * from "./common";
export * from "./errors";
export * from "./auth";
export * from "./org";
export * from "./api-key";
export * from "./audit";
export * from "./whoami";
export * from "./tracking";
