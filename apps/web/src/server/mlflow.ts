import "server-only";

import { handleMlflow, handleMlflowArtifacts } from "@gantry/api/mlflow";

import { artifactOptions } from "./artifacts";
import { sessionUserId } from "./auth";
import { database } from "./db";

type Params = { params: Promise<{ path: string[] }> };

const options = async (request: Request) => ({
  db: database().db,
  // A key wins over a session; skip the cookie work when one is sent.
  sessionUserId: request.headers.get("authorization") ? null : await sessionUserId(),
  artifacts: artifactOptions(),
});

export const mlflowHandler = async (request: Request, { params }: Params) => handleMlflow(request, (await params).path.join("/"), await options(request));

export const mlflowArtifactsHandler = async (request: Request, { params }: Params) =>
  handleMlflowArtifacts(request, (await params).path.map(encodeURIComponent).join("/"), await options(request));
