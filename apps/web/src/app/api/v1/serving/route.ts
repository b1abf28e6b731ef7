import { handleServingInfo } from "@gantry/api/http";

import { env } from "~/env";

export const dynamic = "force-dynamic";

export function GET() {
  const e = env();
  return handleServingInfo(e.GANTRY_SERVE_PUBLIC_URL ?? e.GANTRY_SERVE_URL);
}
