import type { Command } from "commander";

import type { Endpoint, EndpointDetail } from "@gantry/schema/serving-contracts";

import type { GantryClient } from "../client";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16);
const serving = (e: Endpoint) => (e.model === null ? "—" : `${e.model}/${e.version}${e.via ? ` (@${e.via})` : ""}`);
const positiveInt = (raw: string, what: string) => {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${what} must be a positive integer, got '${raw}'`);
  return Number(raw);
};
const describeEndpoint = (e: EndpointDetail) => [
  `endpoint: ${e.name}  (${e.status}, auth ${e.auth}${e.followAlias ? `, follows @${e.followAlias}` : ""})`,
  `serving:  ${serving(e)}${e.revision === null ? "" : `  revision ${e.revision}`}`,
  ...(e.description ? [`about:    ${e.description}`] : []),
  "",
  ...table(
    ["REVISION", "MODEL", "DEPLOYED (UTC)", "BY", "REASON"],
    e.revisions.map((r) => {
      const v = r.policy.variants[0];
      return [String(r.revision) + (r.revision === e.revision ? " *" : ""), `${v.model}/${v.version}${v.via ? ` (@${v.via})` : ""}`, when(r.createdAt), r.deployedBy, r.reason ?? "—"];
    }),
  ),
];

/** `gantry endpoints list|get|create|deploy|rollback`. */
export function addEndpointCommands(program: Command, io: Io, withClient: WithClient) {
  const endpoints = program.command("endpoints").description("serving endpoints and their deployment revisions");
  endpoints
    .command("list")
    .description("the org's endpoints and what each serves")
    .action(() =>
      withClient(async (client, json) => {
        const list = await client.endpoints.list();
        emit(io, json, list, () =>
          table(
            ["NAME", "STATUS", "AUTH", "SERVING", "REVISION", "UPDATED (UTC)"],
            list.map((e) => [e.name, e.status, e.auth, serving(e), e.revision === null ? "—" : String(e.revision), when(e.updatedAt)]),
          ),
        );
      })(),
    );
  endpoints
    .command("get <name>")
    .description("an endpoint and its revisions, newest first (* = current)")
    .action((name: string) =>
      withClient(async (client, json) => {
        const e = await client.endpoints.get(name);
        emit(io, json, e, () => describeEndpoint(e));
      })(),
    );
  endpoints
    .command("create <name>")
    .description("a new endpoint (lowercase letters, digits, '-'), serving nothing until deployed")
    .option("--public", "answer predictions without an API key (default: a key with the predict scope)")
    .option("--description <text>", "what it is for")
    .option("--follow-alias <alias>", "redeploy when this alias of the served model moves")
    .action((name: string, opts: { public?: boolean; description?: string; followAlias?: string }) =>
      withClient(async (client, json) => {
        const e = await client.endpoints.create({ name, auth: opts.public ? "public" : "key", description: opts.description, followAlias: opts.followAlias });
        emit(io, json, e, () => [`Created endpoint ${e.name} (auth ${e.auth}). Deploy with: gantry endpoints deploy ${e.name} models:/NAME@ALIAS`]);
      })(),
    );
  endpoints
    .command("deploy <name> <model>")
    .description("serve models:/NAME@ALIAS or models:/NAME/VERSION (resolved and pinned now) as a new revision")
    .option("--reason <text>", "why, kept with the revision")
    .action((name: string, model: string, opts: { reason?: string }) =>
      withClient(async (client, json) => {
        const e = await client.endpoints.deploy(name, model, { reason: opts.reason });
        emit(io, json, e, () => [`${e.name} revision ${e.revision}: serving ${serving(e)}.`]);
      })(),
    );
  endpoints
    .command("rollback <name> [revision]")
    .description("a new revision with an earlier revision's model (default: the last one that served something else)")
    .option("--reason <text>", "why, kept with the revision")
    .action((name: string, rawRevision: string | undefined, opts: { reason?: string }) =>
      withClient(async (client, json) => {
        const e = await client.endpoints.rollback(name, rawRevision === undefined ? undefined : positiveInt(rawRevision, "revision"), { reason: opts.reason });
        emit(io, json, e, () => [`${e.name} revision ${e.revision} (rollback to ${e.revisions[0]?.rolledBackFrom ?? "?"}): serving ${serving(e)}.`]);
      })(),
    );
}
