import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import type { Executor } from "@gantry/db";

import type { ArtifactStore } from "../artifacts";
import type { ServingConfig } from "../serving/try-it";
import { appRouter } from "../root";
import { createContext } from "../trpc";

/** The tRPC endpoint as a fetch handler; the web app and the test server mount the same one. */
export function handleTrpc(db: Executor, request: Request, sessionUserId: string | null, endpoint = "/api/trpc", options: { artifactStore?: ArtifactStore; serving?: ServingConfig } = {}): Promise<Response> {
  return fetchRequestHandler({
    endpoint,
    req: request,
    router: appRouter,
    createContext: () =>
      createContext({
        db,
        authorization: request.headers.get("authorization"),
        sessionUserId,
        orgSlug: request.headers.get("x-gantry-org"),
        artifactStore: options.artifactStore,
        serving: options.serving,
      }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}
