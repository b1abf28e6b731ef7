import { GantryApiError } from "./errors";

/*
 * Predictions go to the serving port (the worker's `serve` role), not to the portal: the portal
 * says where that is (`GET /api/v1/serving`) and whoami says the key's org, both asked once.
 */

export type PredictRow = Record<string, string | number | boolean | null>;

export type PredictAnswer = {
  /** One per row: `{label, probabilities}` for a classifier (probabilities in label order), a number for a regressor. */
  predictions: unknown[];
  model: string;
  version: number;
  variant: string;
  requestId: string;
};

export type PredictOptions = {
  /** Sticky assignment key for A/B policies (sent as `x-unit-id`). */
  unitId?: string;
  /** Ask for this model version of the endpoint (404 when it does not serve it). */
  version?: number;
};

export type PredictDeps = {
  apiKey: string;
  fetch: typeof fetch;
  /** The serving base URL when known; else asked from the portal. */
  serveUrl?: string;
  servingInfo: () => Promise<{ url: string }>;
  orgSlug: () => Promise<string>;
};

export function createPredict(deps: PredictDeps) {
  let target: Promise<{ base: string; org: string }> | undefined;
  const where = () =>
    (target ??= Promise.all([deps.serveUrl ? Promise.resolve({ url: deps.serveUrl }) : deps.servingInfo(), deps.orgSlug()]).then(([info, org]) => ({ base: info.url.replace(/\/+$/, ""), org })).catch((error: unknown) => {
      target = undefined;
      throw error;
    }));

  return async function predict(endpoint: string, rows: PredictRow[], options: PredictOptions = {}): Promise<PredictAnswer> {
    const { base, org } = await where();
    const path = `/orgs/${encodeURIComponent(org)}/v1/models/${encodeURIComponent(endpoint)}${options.version ? `/versions/${options.version}` : ""}:predict`;
    let response: Response;
    try {
      response = await deps.fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${deps.apiKey}`, "content-type": "application/json", ...(options.unitId ? { "x-unit-id": options.unitId } : {}) },
        body: JSON.stringify({ instances: rows }),
      });
    } catch (error) {
      throw new GantryApiError(`Cannot reach the serving port at ${base}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`, "UNREACHABLE", 0);
    }
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new GantryApiError(`${base}${path} answered ${response.status} with a non-JSON body; is ${base} the Gantry serving port?`, "BAD_RESPONSE", response.status);
    }
    if (!response.ok) throw new GantryApiError(typeof body.error === "string" ? body.error : `HTTP ${response.status}`, codeOfStatus(response.status), response.status);
    return {
      predictions: body.predictions as unknown[],
      model: String(body.model_name),
      version: Number(body.model_version),
      variant: String(body.variant),
      requestId: String(body.request_id),
    };
  };
}

const codeOfStatus = (status: number) =>
  ({ 400: "INVALID_INPUT", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS", 503: "UNAVAILABLE" })[status] ?? "HTTP_ERROR";
