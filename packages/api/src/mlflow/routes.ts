import type { OrgContext } from "../context";
import type { Message } from "./request";

/** One MLflow RPC: the scope a key needs, and the handler returning the response message. */
export type Route = { scope: "read" | "write"; handle: (ctx: OrgContext, message: Message) => Promise<Record<string, unknown>> };
/** Keyed "METHOD path", the path after /api/2.0/mlflow/. */
export type Routes = Record<string, Route>;
