export * from "./audit";
export * from "./users";
export * from "./orgs";
export * from "./members";
export * from "./invitations";
export * from "./api-keys";
export * from "./whoami";
