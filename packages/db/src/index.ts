export { createDatabase, type Database, type DatabaseOptions, type Executor } from "./client";
export { migrationStatus, type MigrationStatus } from "./migrate";
export * from "drizzle-orm";
