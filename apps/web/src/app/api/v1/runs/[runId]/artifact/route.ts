import { handleArtifactDownload } from "@gantry/api/http";

import { artifactStore } from "~/server/artifacts";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const userId = request.headers.get("authorization") ? null : await sessionUserId();
  return handleArtifactDownload(database().db, request, (await params).runId, { sessionUserId: userId, store: artifactStore() });
}
