import { handleModelUpload } from "@gantry/api/http";

import { artifactOptions } from "~/server/artifacts";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

// TensorFlow.js checks the uploaded model: Node only. No proxy.ts/middleware may match this path
// (Next would buffer the body and cut it at 10 MB).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST a TensorFlow.js model (multipart: `model.json`, `weights`, `signature`, `description?`) as the model's next version. */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const userId = request.headers.get("authorization") ? null : await sessionUserId();
  return handleModelUpload(database().db, request, (await params).name, { sessionUserId: userId, ...artifactOptions() });
}
