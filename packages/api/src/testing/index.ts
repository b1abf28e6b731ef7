export * from "./fixtures";
export * from "./cross-org";
export * from "./http-server";
export * from "./mlflow-client";
export * from "./training";
export * from "./poll";
export * from "./registry";
export * from "./tcp-proxy";
