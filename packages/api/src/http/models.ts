import type { Executor } from "@gantry/db";
import { GantryError } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import { registerUploadedModel } from "../registry";
import { readBufferedForm } from "./buffered-form";
import { errorResponse } from "./errors";
import { requestContext } from "./request-context";

export type ModelUploadRouteOptions = { sessionUserId: string | null; store: ArtifactStore; maxBytes: number };

function parseJsonPart(text: string, field: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GantryError("INVALID_INPUT", `${field} must be ${what}: it is not JSON`, { field });
  }
}

/**
 * `POST /api/v1/models/{name}/versions`: an uploaded TensorFlow.js LayersModel as the model's next
 * version (the model is created when missing). A `multipart/form-data` form: `model.json` (file),
 * `weights` (file: the weights files concatenated in manifest order), `signature` (JSON field) and
 * an optional `description`. The files together may hold GANTRY_ARTIFACT_MAX_BYTES; the form is
 * read whole (the model is loaded to check it anyway). 201 with the version.
 */
export async function handleModelUpload(db: Executor, request: Request, name: string, options: ModelUploadRouteOptions): Promise<Response> {
  try {
    const ctx = await requestContext(db, request, { sessionUserId: options.sessionUserId, scope: "write", orgFromQuery: false });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > options.maxBytes + 64 * 1024) {
      throw new GantryError("INVALID_INPUT", `The upload is ${declared} bytes; the limit is ${options.maxBytes} bytes (GANTRY_ARTIFACT_MAX_BYTES)`, { field: "weights" });
    }
    const contentType = request.headers.get("content-type") ?? "";
    if (contentType.split(";")[0]?.trim().toLowerCase() !== "multipart/form-data" || !request.body) {
      throw new GantryError("INVALID_INPUT", "Send a multipart/form-data form with the files 'model.json' and 'weights' and the field 'signature'", { field: "content-type" });
    }
    const form = await readBufferedForm(contentType, request.body, { maxBytes: options.maxBytes, limitName: "GANTRY_ARTIFACT_MAX_BYTES" });
    const modelJson = form.files.get("model.json") ?? (form.fields.has("model.json") ? Buffer.from(form.fields.get("model.json") ?? "") : undefined);
    const weights = form.files.get("weights");
    const signature = form.fields.get("signature") ?? form.files.get("signature")?.toString("utf8");
    if (!modelJson) throw new GantryError("INVALID_INPUT", "The form has no 'model.json' file (the model.json of model.save())", { field: "model.json" });
    if (!weights) throw new GantryError("INVALID_INPUT", "The form has no 'weights' file (the weights files concatenated in manifest order)", { field: "weights" });
    if (signature === undefined) throw new GantryError("INVALID_INPUT", "The form has no 'signature' field ({inputs: [{name, type}], task, labels?})", { field: "signature" });
    const version = await registerUploadedModel(ctx, options.store, {
      name,
      modelJson: parseJsonPart(modelJson.toString("utf8"), "model.json", "the model.json of model.save()"),
      weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
      signature: parseJsonPart(signature, "signature", "a JSON object {inputs: [{name, type}], task, labels?}"),
      description: form.fields.get("description") ?? undefined,
    });
    return Response.json(version, { status: 201 });
  } catch (error) {
    const response = errorResponse(error);
    response.headers.set("connection", "close");
    return response;
  }
}
