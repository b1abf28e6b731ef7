import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import type { Message } from "./request";

/** What handlers need beyond the org: the artifact store (registering a version reads the signature). */
export type RouteEnv = { store: ArtifactStore };
/** One MLflow RPC: the scope a key needs, and the handler returning the response message. */
export type Route = { scope: "read" | "write" | "admin"; handle: (ctx: OrgContext, message: Message, env: RouteEnv) => Promise<Record<string, unknown>> };
/** Keyed "METHOD path", the path after /api/2.0/mlflow/. */
export type Routes = Record<string, Route>;
