export * from "./fixtures";
export * from "./cross-org";
