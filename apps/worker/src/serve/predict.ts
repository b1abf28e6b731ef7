import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { PredictionLogRow } from "@gantry/api/serving";
import type { ServingDeployment, ServingVariant } from "@gantry/api/serving";
import type { Row, Signature } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import type { Access } from "./access";
import type { Route } from "./policy";
import { routeRequest } from "./policy";
import { errorAnswer, readBody, sendJson, ServeError } from "./http-io";
import type { ServedModel } from "./model-cache";
import { oipOutputs, parseOipInfer } from "./oip";
import type { OutputColumns } from "./rows";
import { hasNonFinite, outputColumns, outputOfRow } from "./rows";
import type { ServeState } from "./state";
import { parseTfsPredict, tfsAnswer } from "./tfs";
import { parseTolerantJson, stringifyTolerantJson } from "./tolerant-json";
import { stickyKeyOf, stripStickyField, unitIdOf } from "./unit";

/*
 * One prediction: body, caller, deployment, model, rows checked against the signature, predict,
 * answer, then the log rows and the metrics (after the answer is written: never on its path).
 * The log buffer is checked before predicting: when it is full the caller gets 429 with
 * Retry-After rather than an answer whose log would be dropped.
 */

export type Protocol = "tfs" | "oip";

type Parsed = { rows: Row[]; answer: (columns: OutputColumns, served: Served) => Record<string, unknown> };
type Served = { requestId: string; variant: ServingVariant; revision: number; endpoint: string };

function parse(protocol: Protocol, body: unknown, model: ServedModel): Parsed {
  if (protocol === "tfs") {
    const request = parseTfsPredict(body, model.compiled);
    return {
      rows: request.rows,
      answer: (columns, s) => ({ ...tfsAnswer(request.format, columns), model_name: s.variant.model, model_version: String(s.variant.version), variant: s.variant.name, request_id: s.requestId }),
    };
  }
  const request = parseOipInfer(body, model.compiled);
  return {
    rows: request.rows,
    answer: (columns, s) => ({
      model_name: s.endpoint,
      model_version: String(s.variant.version),
      id: request.id ?? s.requestId,
      parameters: { request_id: s.requestId, variant: s.variant.name, model: s.variant.model, revision: s.revision },
      outputs: oipOutputs(columns, request.outputs, model.compiled.signature.labels?.length ?? 0),
    }),
  };
}

/**
 * The variant that answers (and the one mirrored, for a shadow policy). A request for a specific
 * version bypasses the policy: it goes to the variant serving that version.
 */
function chooseVariant(state: ServeState, access: Access, name: string, version: number | undefined, unitId: string | null): Route {
  const { deployment } = access;
  if (deployment.status === "paused") throw new ServeError(503, `Endpoint '${name}' is paused`);
  const variants = deployment.revision?.variants ?? [];
  if (!variants.length) throw new ServeError(503, `Endpoint '${name}' has no deployment: deploy a model version to it first`);
  if (version !== undefined) {
    const pinned = variants.find((v) => v.version === version);
    if (!pinned) throw new GantryError("NOT_FOUND", `Servable not found for request: Specific(${name}, ${version})`);
    return { variant: pinned, mirror: null };
  }
  return routeRequest(deployment, unitId, state.banditArms) ?? { variant: variants[0] as ServingVariant, mirror: null };
}

export async function handlePredict(
  state: ServeState,
  request: IncomingMessage,
  response: ServerResponse,
  route: { protocol: Protocol; orgSlug: string; name: string; version?: number },
): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  let labels = { org: route.orgSlug, endpoint: route.name, variant: "" };
  let status = 200;
  let rowCount = 0;
  let stat: { orgId: string; endpointId: string; revision: number } | null = null;
  try {
    const text = await readBody(request, state.options.maxBodyBytes);
    const access = await state.authorize(request, route.orgSlug, route.name);
    const { deployment } = access;
    const input = parseTolerantJson(text);
    const stickyKey = stickyKeyOf(deployment.revision?.policy);
    const unitId = unitIdOf(request, input, stickyKey);
    const { variant, mirror } = chooseVariant(state, access, route.name, route.version, unitId);
    labels = { ...labels, variant: variant.name };
    stat = { orgId: deployment.orgId, endpointId: deployment.endpointId, revision: deployment.revision?.number ?? 0 };
    const model = state.models.peek(variant.modelVersionId) ?? (await loadModel(state, variant));
    stripStickyField(input, stickyKey, model.compiled.names);
    const parsed = parse(route.protocol, input, model);
    rowCount = parsed.rows.length;
    if (!state.predictionLog.hasRoom(rowCount)) throw new ServeError(429, "The prediction log is behind: retry shortly", { "retry-after": "1" });
    const predictions = await model.predict(parsed.rows);
    // Checked again after the wait for the prediction thread (other requests appended meanwhile):
    // from here to the append nothing yields, so an answered prediction always has its log row.
    if (!state.predictionLog.hasRoom(rowCount)) throw new ServeError(429, "The prediction log is behind: retry shortly", { "retry-after": "1" });
    const columns = outputColumns(model.compiled.signature, predictions);
    const revision = deployment.revision?.number ?? 0;
    const body = parsed.answer(columns, { requestId, variant, revision, endpoint: route.name });
    sendJson(response, 200, hasNonFinite(columns) ? stringifyTolerantJson(body) : JSON.stringify(body), {
      "x-request-id": requestId,
      "x-gantry-model": variant.model,
      "x-gantry-model-version": String(variant.version),
      "x-gantry-variant": variant.name,
      "x-gantry-revision": String(revision),
    });
    const latencyMs = performance.now() - started;
    const createdAt = new Date();
    const logRows: PredictionLogRow[] = parsed.rows.map((features, i) => ({
      createdAt,
      requestId,
      rowIndex: i,
      orgId: deployment.orgId,
      endpointId: deployment.endpointId,
      revision,
      variant: variant.name,
      modelVersionId: variant.modelVersionId,
      unitId,
      features,
      outputs: outputOfRow(columns, i),
      latencyMs,
      status: 200,
      error: null,
    }));
    state.predictionLog.append(logRows);
    if (mirror) {
      // The variants of a test share the signature (checked when it starts): the answer's shape is the primary's.
      mirrorPrediction(state, { deployment, variant: mirror, signature: model.compiled.signature, rows: parsed.rows, requestId, revision, unitId, createdAt }, route).catch((error: unknown) =>
        state.say(`shadow of ${route.orgSlug}/${route.name} not logged: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  } catch (error) {
    const answer = errorAnswer(error);
    status = answer.status;
    if (status >= 500 && !(error instanceof ServeError)) state.say(`predict ${route.orgSlug}/${route.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.headersSent) sendJson(response, status, JSON.stringify({ error: answer.message }), { "x-request-id": requestId, ...answer.headers });
  } finally {
    const seconds = (performance.now() - started) / 1000;
    state.metrics.record(labels, status, seconds, status === 200 ? rowCount : 0);
    if (stat && labels.variant) state.stats.record({ ...stat, variant: labels.variant, latencyMs: seconds * 1000, error: status >= 500 });
  }
}

/** A version that cannot be loaded is the server's failure, not the caller's: 503, as TFS answers for an unavailable servable. */
async function loadModel(state: ServeState, variant: ServingVariant): Promise<ServedModel> {
  try {
    return await state.models.get(variant.modelVersionId, variant.pipelineSha256);
  } catch (error) {
    state.say(`loading ${variant.model}/${variant.version} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new ServeError(503, `Model ${variant.model}/${variant.version} (variant ${variant.name}) could not be loaded`);
  }
}

type Shadow = { deployment: ServingDeployment; variant: ServingVariant; signature: Signature; rows: Row[]; requestId: string; revision: number; unitId: string | null; createdAt: Date };

/**
 * The mirrored prediction of a shadow policy, after the caller has its answer: predicted by the
 * shadow variant in the shadow thread (never on this event loop), logged under the same request
 * id and rows (1 ms later, so both rows keep their own key) for offline comparison, never
 * returned. Best effort: skipped when the log buffer is full or the shadow thread is busy or
 * down (the caller's own log row never is); a failure is logged as a 500 row.
 */
async function mirrorPrediction(state: ServeState, s: Shadow, route: { orgSlug: string; name: string }): Promise<void> {
  if (!state.predictionLog.hasRoom(s.rows.length)) return;
  const result = await state.shadow.predict(s.variant, s.rows);
  if (!result || !state.predictionLog.hasRoom(s.rows.length)) return;
  const columns = "predictions" in result ? outputColumns(s.signature, result.predictions) : null;
  const error = "error" in result ? result.error : null;
  const status = columns ? 200 : 500;
  const createdAt = new Date(s.createdAt.getTime() + 1);
  state.predictionLog.append(
    s.rows.map((features, i) => ({
      createdAt,
      requestId: s.requestId,
      rowIndex: i,
      orgId: s.deployment.orgId,
      endpointId: s.deployment.endpointId,
      revision: s.revision,
      variant: s.variant.name,
      modelVersionId: s.variant.modelVersionId,
      unitId: s.unitId,
      features,
      outputs: columns ? outputOfRow(columns, i) : null,
      latencyMs: result.ms,
      status,
      error,
    })),
  );
  state.metrics.record({ org: route.orgSlug, endpoint: route.name, variant: s.variant.name }, status, result.ms / 1000, columns ? s.rows.length : 0);
  state.stats.record({ orgId: s.deployment.orgId, endpointId: s.deployment.endpointId, revision: s.revision, variant: s.variant.name, latencyMs: result.ms, error: status >= 500 });
}
