export { createDatabase, type Database, type DatabaseOptions, executePrepared, type Executor } from "./client";
export { migrationStatus, type MigrationStatus } from "./migration-status";
export * from "drizzle-orm";
