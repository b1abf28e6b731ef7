import type { IncomingMessage, ServerResponse } from "node:http";

import { recordFeedback } from "@gantry/api/serving";
import type { Signature } from "@gantry/ml";
import { GantryError } from "@gantry/schema";

import type { Access } from "./access";
import { errorAnswer, readBody, sendJson, ServeError } from "./http-io";
import { oipMetadata } from "./oip";
import { handlePredict } from "./predict";
import type { ServeState } from "./state";
import { tfsStatus } from "./tfs";
import { parseTolerantJson } from "./tolerant-json";

/*
 * The per-org routes of the serving port. TensorFlow Serving REST under /orgs/{org}/v1, the Open
 * Inference Protocol under /orgs/{org}/v2, feedback under /orgs/{org}/v1/endpoints.
 */

const ORG = /^\/orgs\/([a-z0-9][a-z0-9-]*)(\/.*)$/;
const TFS_PREDICT = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d+))?:predict$/;
const TFS_GET = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d+))?(\/metadata)?$/;
const OIP_HEALTH = /^\/v2\/health\/(live|ready)$/;
const OIP_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/(\d+))?(\/ready|\/infer)?$/;
const FEEDBACK = /^\/v1\/endpoints\/([^/]+)\/feedback$/;

const json = (response: ServerResponse, status: number, body: unknown) => sendJson(response, status, JSON.stringify(body));

function requireMethod(request: IncomingMessage, method: string): void {
  if (request.method !== method) throw new ServeError(405, `Use ${method} here, not ${request.method}`, { allow: method });
}

/** The served version of an endpoint (or the one asked for), loaded or not. */
async function servedModel(state: ServeState, access: Access, name: string, version: number | undefined) {
  const { deployment } = access;
  const variants = deployment.revision?.variants ?? [];
  const variant = version === undefined ? variants[0] : variants.find((v) => v.version === version);
  if (!variant) {
    if (version !== undefined) throw new GantryError("NOT_FOUND", `Servable not found for request: Specific(${name}, ${version})`);
    throw new ServeError(503, `Endpoint '${name}' has no deployment`);
  }
  const loaded = state.models.peek(variant.modelVersionId);
  return { variant, loaded, paused: deployment.status === "paused" };
}

async function signatureOf(state: ServeState, variant: { modelVersionId: string; pipelineSha256: string }): Promise<Signature> {
  return (await state.models.get(variant.modelVersionId, variant.pipelineSha256)).compiled.signature;
}

export async function handleOrgRoute(state: ServeState, request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
  const org = ORG.exec(path);
  if (!org) return false;
  const [, orgSlug = "", rest = ""] = org;
  let m: RegExpExecArray | null;

  if ((m = TFS_PREDICT.exec(rest))) {
    requireMethod(request, "POST");
    await handlePredict(state, request, response, { protocol: "tfs", orgSlug, name: m[1] ?? "", version: m[2] ? Number(m[2]) : undefined });
    return true;
  }
  if ((m = OIP_MODEL.exec(rest)) && m[3] === "/infer") {
    requireMethod(request, "POST");
    await handlePredict(state, request, response, { protocol: "oip", orgSlug, name: m[1] ?? "", version: m[2] ? Number(m[2]) : undefined });
    return true;
  }
  try {
    if ((m = TFS_GET.exec(rest))) {
      requireMethod(request, "GET");
      const name = m[1] ?? "";
      const access = await state.authorize(request, orgSlug, name);
      const { variant, loaded, paused } = await servedModel(state, access, name, m[2] ? Number(m[2]) : undefined);
      if (m[3]) {
        const signature = await signatureOf(state, variant);
        return json(response, 200, tfsMetadata(name, variant.version, signature)), true;
      }
      json(response, 200, tfsStatus(variant.version, paused ? "END" : loaded ? "AVAILABLE" : "LOADING", paused ? "endpoint paused" : ""));
      return true;
    }
    if ((m = OIP_HEALTH.exec(rest))) {
      requireMethod(request, "GET");
      json(response, 200, m[1] === "live" ? { live: true } : { ready: true });
      return true;
    }
    if (rest === "/v2") {
      requireMethod(request, "GET");
      json(response, 200, { name: "gantry", version: "1", extensions: [] });
      return true;
    }
    if ((m = OIP_MODEL.exec(rest))) {
      requireMethod(request, "GET");
      const name = m[1] ?? "";
      const access = await state.authorize(request, orgSlug, name);
      const { variant, loaded, paused } = await servedModel(state, access, name, m[2] ? Number(m[2]) : undefined);
      if (m[3] === "/ready") {
        // required_api.md: 200 is ready, a 4xx is not.
        json(response, loaded && !paused ? 200 : 400, { name, ready: Boolean(loaded) && !paused });
        return true;
      }
      json(response, 200, oipMetadata(await signatureOf(state, variant), { name, version: variant.version, model: variant.model }));
      return true;
    }
    if ((m = FEEDBACK.exec(rest))) {
      requireMethod(request, "POST");
      const name = m[1] ?? "";
      const text = await readBody(request, state.options.maxBodyBytes);
      const { principal } = await state.authorize(request, orgSlug, name, "feedback");
      if (!principal) throw new GantryError("UNAUTHENTICATED", "Feedback needs an API key");
      const ctx = { db: state.options.db, orgId: principal.org.id, actor: principal.actor, role: "member" as const };
      json(response, 200, await recordFeedback(ctx, name, parseTolerantJson(text)));
      return true;
    }
  } catch (error) {
    const answer = errorAnswer(error);
    if (answer.status >= 500 && !(error instanceof ServeError)) state.say(`${request.method} ${path} failed: ${String(error)}`);
    sendJson(response, answer.status, JSON.stringify({ error: answer.message }), answer.headers);
    return true;
  }
  throw new ServeError(404, `No route for ${request.method} ${path}`);
}

const tfsDtype: Record<string, string> = { numeric: "DT_DOUBLE", integer: "DT_INT64", boolean: "DT_BOOL", datetime: "DT_INT64", categorical: "DT_STRING", text: "DT_STRING" };

/** `GET /v1/models/{name}/metadata`: the signature as a TFS SignatureDef (as JSON). */
function tfsMetadata(name: string, version: number, signature: Signature) {
  const tensor = (tensorName: string, dtype: string, dims: number[]) => ({ dtype, tensor_shape: { dim: dims.map((size) => ({ size: String(size), name: "" })), unknown_rank: false }, name: tensorName });
  const outputs =
    signature.task === "regression"
      ? { value: tensor("value", "DT_FLOAT", [-1]) }
      : { label: tensor("label", "DT_STRING", [-1]), probabilities: tensor("probabilities", "DT_FLOAT", [-1, signature.labels?.length ?? 0]) };
  return {
    model_spec: { name, signature_name: "", version: String(version) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(signature.inputs.map((i) => [i.name, tensor(i.name, tfsDtype[i.type] ?? "DT_STRING", [-1])])),
            outputs,
            method_name: "tensorflow/serving/predict",
          },
        },
      },
    },
  };
}
