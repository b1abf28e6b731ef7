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

export type FeedbackItem = { requestId: string; row?: number; label?: string | number | boolean; reward?: number };

export function createServingCalls(deps: PredictDeps) {
  let target: Promise<{ base: string; org: string }> | undefined;
  const where = () =>
    (target ??= Promise.all([deps.serveUrl ? Promise.resolve({ url: deps.serveUrl }) : deps.servingInfo(), deps.orgSlug()]).then(([info, org]) => ({ base: info.url.replace(/\/+$/, ""), org })).catch((error: unknown) => {
      target = undefined;
      throw error;
    }));

  async function call(path: (org: string) => string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const { base, org } = await where();
    const url = `${base}${path(encodeURIComponent(org))}`;
    let response: Response;
    try {
      response = await deps.fetch(url, { method: "POST", headers: { authorization: `Bearer ${deps.apiKey}`, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    } catch (error) {
      throw new GantryApiError(`Cannot reach the serving port at ${base}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`, "UNREACHABLE", 0);
    }
    const text = await response.text();
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new GantryApiError(`${url} answered ${response.status} with a non-JSON body; is ${base} the Gantry serving port?`, "BAD_RESPONSE", response.status);
    }
    if (!response.ok) throw new GantryApiError(typeof answer.error === "string" ? answer.error : `HTTP ${response.status}`, codeOfStatus(response.status), response.status);
    return answer;
  }

  async function predict(endpoint: string, rows: PredictRow[], options: PredictOptions = {}): Promise<PredictAnswer> {
    const body = await call(
      (org) => `/orgs/${org}/v1/models/${encodeURIComponent(endpoint)}${options.version ? `/versions/${options.version}` : ""}:predict`,
      { instances: rows },
      options.unitId ? { "x-unit-id": options.unitId } : {},
    );
    return {
      predictions: body.predictions as unknown[],
      model: String(body.model_name),
      version: Number(body.model_version),
      variant: String(body.variant),
      requestId: String(body.request_id),
    };
  }

  /** Labels or rewards for earlier predictions (by request id and row), in one batch of up to 10,000. */
  async function feedback(endpoint: string, items: FeedbackItem[]): Promise<{ accepted: number }> {
    const body = await call((org) => `/orgs/${org}/v1/endpoints/${encodeURIComponent(endpoint)}/feedback`, {
      feedback: items.map((i) => ({ request_id: i.requestId, ...(i.row !== undefined ? { row: i.row } : {}), ...(i.label !== undefined ? { label: i.label } : {}), ...(i.reward !== undefined ? { reward: i.reward } : {}) })),
    });
    return { accepted: Number(body.accepted) };
  }

  return { predict, feedback };
}

const codeOfStatus = (status: number) =>
  ({ 400: "INVALID_INPUT", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS", 503: "UNAVAILABLE" })[status] ?? "HTTP_ERROR";
