import { handleWhoami } from "@gantry/api/http";

import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const userId = request.headers.get("authorization") ? null : await sessionUserId();
  return handleWhoami(database().db, request, userId);
}
