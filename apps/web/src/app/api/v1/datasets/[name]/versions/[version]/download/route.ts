import { handleDatasetDownload } from "@gantry/api/http";

import { artifactStore } from "~/server/artifacts";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The CSV of a version (`version` a number or `latest`), streamed. */
export async function GET(request: Request, { params }: { params: Promise<{ name: string; version: string }> }) {
  const userId = request.headers.get("authorization") ? null : await sessionUserId();
  const { name, version } = await params;
  return handleDatasetDownload(database().db, request, name, version, { sessionUserId: userId, store: artifactStore() });
}
