import { handleDatasetUpload } from "@gantry/api/http";

import { datasetOptions } from "~/server/artifacts";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

// The body is read as a stream straight from the socket (no proxy.ts/middleware may match this
// path: Next would then buffer the body, and cut it at 10 MB).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST a CSV (raw text/csv body, or multipart/form-data with a `file` part) as the dataset's next version. */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const userId = request.headers.get("authorization") ? null : await sessionUserId();
  return handleDatasetUpload(database().db, request, (await params).name, { sessionUserId: userId, ...datasetOptions() });
}
