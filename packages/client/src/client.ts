import type { TRPCClient } from "@trpc/client";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";

import type { AppRouter } from "@gantry/api";
import type { Whoami } from "@gantry/schema/whoami";

import { GantryApiError } from "./errors";

import type { AbTestsClient } from "./abtests";
import { createAbTestsClient } from "./abtests";
import type { DatasetsClient } from "./datasets";
import { createDatasetsClient } from "./datasets";
import type { EndpointsClient } from "./endpoints";
import { createEndpointsClient } from "./endpoints";
import type { JobsClient } from "./jobs";
import { createJobsClient } from "./jobs";
import type { RunHandleOptions, StartRunOptions } from "./runs";
import { resolveExperiment, RunHandle } from "./runs";
import type { ModelsClient } from "./models";
import type { FeedbackItem, PredictAnswer, PredictOptions, PredictRow } from "./predict";
import { createServingCalls } from "./predict";
import { createModelsClient } from "./models";
import type { SchedulesClient } from "./schedules";
import { createSchedulesClient } from "./schedules";
import type { SweepsClient } from "./sweeps";
import { createSweepsClient } from "./sweeps";

export type GantryClientOptions = {
  /** The portal's base URL, e.g. http://localhost:3000 */
  url: string;
  apiKey: string;
  /** Only for session-less callers that act in several orgs; a key implies its own org. */
  org?: string;
  fetch?: typeof fetch;
  /** The serving port's base URL (e.g. http://localhost:3100); by default the portal says where it is. */
  serveUrl?: string;
};

export { GantryApiError };

export const toGantryApiError = (error: unknown): unknown => {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; httpStatus?: number; field?: string | null } | undefined;
    return new GantryApiError(error.message, data?.code ?? "UNKNOWN", data?.httpStatus ?? 0, data?.field ?? null);
  }
  return error;
};

export type GantryClient = {
  /** The typed tRPC API: every router of the portal, under the key's org and scopes. */
  api: TRPCClient<AppRouter>;
  whoami: () => Promise<Whoami>;
  runs: { start: (options: StartRunOptions, handleOptions?: RunHandleOptions) => Promise<RunHandle> };
  /** Training jobs: submit, follow (`wait` polls), cancel, retry. */
  jobs: JobsClient;
  /** Versioned datasets: streamed CSV uploads, lists, versions with schema and profile. */
  datasets: DatasetsClient;
  /** Grid and random searches over a training spec: submit, view the trials, follow (`wait` polls). */
  sweeps: SweepsClient;
  /** Training on a cron: create, list, pause, resume, delete, run now. */
  schedules: SchedulesClient;
  /** The model registry: models, versions registered from runs, aliases and their history, `models:/` URIs. */
  models: ModelsClient;
  /** Serving endpoints: create, deploy a model version, roll back to an earlier revision. */
  endpoints: EndpointsClient;
  /** A/B tests, canaries, shadow traffic and bandits on an endpoint: start, results, promote, stop. */
  abtests: AbTestsClient;
  /** Rows to an endpoint's TensorFlow Serving route on the serving port; the answer says which version and variant served it. */
  predict: (endpoint: string, rows: PredictRow[], options?: PredictOptions) => Promise<PredictAnswer>;
  /** Labels or rewards for earlier predictions, by request id (A/B results, bandits and monitoring join them). */
  feedback: (endpoint: string, items: FeedbackItem[]) => Promise<{ accepted: number }>;
  url: string;
};

export function createGantryClient(options: GantryClientOptions): GantryClient {
  const base = options.url.replace(/\/+$/, "");
  const headers = () => ({ authorization: `Bearer ${options.apiKey}`, ...(options.org ? { "x-gantry-org": options.org } : {}) });
  const doFetch = options.fetch ?? fetch;
  const api = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${base}/api/trpc`, transformer: superjson, headers, fetch: doFetch })],
  });

  /** Plain REST calls (whoami, and later uploads and predictions), with our JSON error body. */
  async function rest<T>(path: string, init?: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { ...init, headers: { ...headers(), ...(init?.headers as Record<string, string> | undefined) } });
    } catch (error) {
      throw new GantryApiError(`Cannot reach ${base}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`, "UNREACHABLE", 0);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      throw new GantryApiError(`${base}${path} answered ${response.status} with a non-JSON body; is the URL a Gantry server?`, "BAD_RESPONSE", response.status);
    }
    if (!response.ok) {
      // Our REST routes answer {error: {code, message, field}}; the MLflow ones {error_code, message}.
      const b = body as { error?: { code?: string; message?: string; field?: string | null }; error_code?: string; message?: string } | null;
      throw new GantryApiError(b?.error?.message ?? b?.message ?? `HTTP ${response.status}`, b?.error?.code ?? b?.error_code ?? "HTTP_ERROR", response.status, b?.error?.field ?? null);
    }
    return body as T;
  }

  const upload = async (artifactPath: string, body: ReadableStream<Uint8Array>, size: number, contentType: string) => {
    await rest(`/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, {
      method: "PUT",
      body,
      headers: { "content-type": contentType, "content-length": String(size) },
      duplex: "half",
    } as RequestInit);
  };

  const start = async (o: StartRunOptions, handleOptions?: RunHandleOptions) => {
    const experimentId = await resolveExperiment(api, o.experiment);
    const run = await api.run.create.mutate({
      experimentId,
      name: o.name,
      parentRunId: o.parentRunId,
      tags: Object.entries(o.tags ?? {}).map(([key, value]) => ({ key, value })),
      source: "client",
    });
    const handle = new RunHandle(api, upload, run, handleOptions);
    if (o.params && Object.keys(o.params).length) await handle.logParams(o.params);
    return handle;
  };

  const whoami = () => rest<Whoami>("/api/v1/whoami");
  const { predict, feedback } = createServingCalls({
    apiKey: options.apiKey,
    fetch: doFetch,
    serveUrl: options.serveUrl,
    servingInfo: () => rest<{ url: string }>("/api/v1/serving"),
    orgSlug: async () => {
      const me = await whoami();
      if (!me.org) throw new GantryApiError("This key has no organisation", "UNAUTHENTICATED", 401);
      return me.org.slug;
    },
  });

  return { api, url: base, whoami, predict, feedback, runs: { start }, jobs: createJobsClient(api), datasets: createDatasetsClient(api, rest), sweeps: createSweepsClient(api), schedules: createSchedulesClient(api), models: createModelsClient(api, rest), endpoints: createEndpointsClient(api), abtests: createAbTestsClient(api) };
}
