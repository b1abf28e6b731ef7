export * from "./fixtures";
export * from "./cross-org";
export * from "./http-server";
