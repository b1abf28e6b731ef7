import type { TryPredictInput, TryPredictResult } from "@gantry/schema";
import { GantryError, ZTryPredictInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { createApiKey } from "../services/api-keys";
import { endpointByName } from "./lookup";

/*
 * The portal's "try it" console: one real HTTP call of the serving port (the same path, auth,
 * logging and stats as any client's), made by the web server with a short-lived `predict` key of
 * the caller's own. The key's secret is kept in memory only, so a console session does not mint
 * a key per click; the serving side caches the key check too.
 */

/** Where the serving port is: `url` as this server reaches it, `publicUrl` as users do (curl). */
export type ServingConfig = { url: string; publicUrl?: string };

const KEY_LIFETIME_MS = 60 * 60_000;
/** A cached key is replaced this long before it expires, so a call never races its expiry. */
const KEY_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 30_000;

const keys = new Map<string, { secret: string; expiresAt: number }>();

const actorKey = (ctx: OrgContext): string => {
  const a = ctx.actor;
  const who = a.type === "user" ? `user:${a.userId}` : a.type === "api_key" ? `key:${a.keyId}` : `system:${a.label}`;
  return `${ctx.orgId}\u0000${who}`;
};

async function tryItKey(ctx: OrgContext): Promise<string> {
  const cacheKey = actorKey(ctx);
  const cached = keys.get(cacheKey);
  if (cached && cached.expiresAt - KEY_MARGIN_MS > Date.now()) return cached.secret;
  const expiresAt = Date.now() + KEY_LIFETIME_MS;
  const { secret } = await createApiKey(ctx, { name: `portal try-it (${ctx.actor.label})`.slice(0, 100), scopes: ["predict"], expiresAt: new Date(expiresAt) });
  keys.set(cacheKey, { secret, expiresAt });
  return secret;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The same call for a terminal: the public URL, the key as an environment variable (never the secret). */
export function tryItCurl({ publicUrl, orgSlug, name, body }: { publicUrl: string; orgSlug: string; name: string; body: unknown }): string {
  return [
    `curl -X POST ${shellQuote(`${trimSlash(publicUrl)}/orgs/${orgSlug}/v1/models/${name}:predict`)}`,
    `  -H "Authorization: Bearer $GANTRY_API_KEY"`,
    `  -H "Content-Type: application/json"`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join(" \\\n");
}

async function readAnswer(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The serving port may answer NaN/Infinity (TensorFlow Serving's tolerant JSON) or plain text.
    return text;
  }
}

/**
 * Predicts with the org's endpoint through the serving port and reports the answer as it came:
 * a 4xx/5xx from the endpoint is a result to show, not an error of this call.
 */
export async function tryPredict(ctx: OrgContext, raw: TryPredictInput, { orgSlug, serving }: { orgSlug: string; serving: ServingConfig | undefined }): Promise<TryPredictResult> {
  const input = parseInput(ZTryPredictInput, raw);
  // Another org's endpoint (or none) stops here, before any key or request.
  const endpoint = await endpointByName(ctx, input.name);
  if (!serving) throw new GantryError("PRECONDITION_FAILED", "serving is not configured");
  const body = { instances: input.instances };
  const path = `/orgs/${encodeURIComponent(orgSlug)}/v1/models/${encodeURIComponent(endpoint.name)}:predict`;
  const curl = tryItCurl({ publicUrl: serving.publicUrl ?? serving.url, orgSlug, name: endpoint.name, body });

  const call = async (secret: string) => {
    const started = performance.now();
    const response = await fetch(`${trimSlash(serving.url)}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const answer = await readAnswer(response);
    return { response, answer, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  };

  try {
    let result = await call(await tryItKey(ctx));
    if (result.response.status === 401) {
      // The cached key was revoked (or deleted) meanwhile: mint a fresh one, once.
      keys.delete(actorKey(ctx));
      result = await call(await tryItKey(ctx));
    }
    const { response, answer, latencyMs } = result;
    const fromBody = answer && typeof answer === "object" && "request_id" in answer ? String((answer as { request_id: unknown }).request_id) : null;
    return { status: response.status, body: answer, latencyMs, requestId: response.headers.get("x-request-id") ?? fromBody, curl };
  } catch (error) {
    if (error instanceof GantryError) throw error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    // The internal URL stays out of the message: members see the public one in the curl command.
    throw new GantryError("PRECONDITION_FAILED", `The serving port did not answer (${reason}): is a worker running with role serve or all?`);
  }
}
