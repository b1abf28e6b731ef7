import { handleTrpc } from "@gantry/api/http";

import { artifactStore } from "~/server/artifacts";
import { sessionUserId } from "~/server/auth";
import { database } from "~/server/db";
import { servingConfig } from "~/server/serving";

const handler = async (request: Request) =>
  // A key wins over a session; skip the cookie work when one is sent.
  handleTrpc(database().db, request, request.headers.get("authorization") ? null : await sessionUserId(), "/api/trpc", {
    artifactStore: artifactStore(),
    serving: servingConfig(),
  });

export { handler as GET, handler as POST };
