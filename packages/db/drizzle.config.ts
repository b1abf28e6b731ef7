import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "../schema/src/index.ts",
  out: "./drizzle",
  casing: "snake_case",
  migrations: { schema: "drizzle", table: "__drizzle_migrations" },
});
