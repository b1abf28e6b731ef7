import "server-only";

import type { ServingConfig } from "@gantry/api/serving";

import { env } from "~/env";

/** The worker's serving port: as this server reaches it, and as users do (curl commands, the client). */
export function servingConfig(): ServingConfig {
  const e = env();
  return { url: e.GANTRY_SERVE_URL, publicUrl: e.GANTRY_SERVE_PUBLIC_URL ?? e.GANTRY_SERVE_URL };
}
