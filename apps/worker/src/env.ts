import { z } from "zod";

export const workerRoles = ["all", "jobs", "serve"] as const;
export type WorkerRole = (typeof workerRoles)[number];

/** The worker's settings: the one place in the worker that reads process.env. */
const ZEnv = z.object({
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgres:// URL (pnpm start sets it for the embedded database)" }),
  GANTRY_WORKER_ROLE: z.enum(workerRoles, { error: `GANTRY_WORKER_ROLE must be one of ${workerRoles.join(", ")}` }).default("all"),
  GANTRY_SERVE_PORT: z.coerce.number({ error: "GANTRY_SERVE_PORT must be a port number" }).int().min(0).max(65535).default(3100),
  GANTRY_SERVE_HOST: z.string().default("0.0.0.0"),
  GANTRY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  GANTRY_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
});
export type WorkerEnv = z.infer<typeof ZEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid settings for the worker:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
