import { z } from "zod";

/**
 * The web app's settings: the one place that reads process.env. Validated on first use (and at
 * server start by instrumentation.ts), so a missing or bad setting fails fast, by name.
 */
const ZEnv = z.object({
  DATABASE_URL: z.url({ error: "DATABASE_URL must be a postgres:// URL (pnpm start sets it for the embedded database)" }),
  NEXTAUTH_SECRET: z.string().min(32, { error: "NEXTAUTH_SECRET must be at least 32 characters (pnpm start generates one)" }),
  NEXTAUTH_URL: z.url().optional(),
  GANTRY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  GANTRY_ARTIFACT_DIR: z.string().min(1).default("./.gantry/artifacts"),
  GANTRY_ARTIFACT_MAX_BYTES: z.coerce.number().int().min(1).default(1024 ** 3),
  /** The largest dataset file an upload (POST /api/v1/datasets/{name}/versions) accepts. */
  GANTRY_MAX_DATASET_BYTES: z.coerce.number({ error: "GANTRY_MAX_DATASET_BYTES must be a number of bytes" }).int().min(1).default(1024 ** 3),
  GANTRY_S3_BUCKET: z.string().min(1).optional(),
  GANTRY_S3_PREFIX: z.string().optional(),
  GANTRY_S3_REGION: z.string().optional(),
  GANTRY_S3_ENDPOINT: z.url().optional(),
  GANTRY_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).optional(),
  /** The worker's serving port as this server reaches it (the portal's "try it" console calls it). */
  GANTRY_SERVE_URL: z.url({ error: "GANTRY_SERVE_URL must be a URL like http://127.0.0.1:3100" }).default("http://127.0.0.1:3100"),
  /** The serving port as users reach it (shown in curl commands, told to the client); default GANTRY_SERVE_URL. */
  GANTRY_SERVE_PUBLIC_URL: z.url({ error: "GANTRY_SERVE_PUBLIC_URL must be a URL" }).optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("SSO"),
});
export type Env = z.infer<typeof ZEnv>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid settings for the web app:\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  const oidc = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new Error("Invalid settings for the web app:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three or none");
  }
  cached = value;
  return value;
}

export const oidcEnabled = (): boolean => Boolean(env().OIDC_ISSUER);
