import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";
import type { EndpointAuth, EndpointStatus, TrafficPolicy } from "@gantry/schema";

/*
 * What a serving process needs to answer for an endpoint: its org, auth mode, status and the
 * current revision's variants with the address of each version's pipeline. Read by the model
 * server, which caches it and re-reads it when told the endpoint changed. These reads are not
 * scoped to a caller's org: the server checks the caller (key org, scope) against the answer.
 */

export type ServingVariant = TrafficPolicy["variants"][number] & { pipelineSha256: string };

export type ServingDeployment = {
  endpointId: string;
  orgId: string;
  orgSlug: string;
  name: string;
  auth: EndpointAuth;
  status: EndpointStatus;
  /** Changes with every change of the endpoint row (deploy, pause, auth…): what polling compares. */
  updatedAt: string;
  revision: { id: string; number: number; policy: TrafficPolicy; variants: ServingVariant[] } | null;
};

type Row = {
  endpoint_id: string;
  org_id: string;
  org_slug: string;
  name: string;
  auth: EndpointAuth;
  status: EndpointStatus;
  updated_at: string;
  revision_id: string | null;
  revision: number | null;
  policy: TrafficPolicy | null;
  pipelines: Record<string, string> | null;
};

const select = sql`
  select e.id as endpoint_id, e.org_id, o.slug as org_slug, e.name, e.auth, e.status, e.updated_at::text as updated_at,
         r.id as revision_id, r.revision, r.policy,
         (select jsonb_object_agg(v.id, v.pipeline_sha256) from model_versions v where v.id = any(r.model_version_ids)) as pipelines
    from endpoints e
    join orgs o on o.id = e.org_id
    left join deployment_revisions r on r.id = e.current_revision_id`;

function toDeployment(row: Row): ServingDeployment {
  const { policy, pipelines } = row;
  return {
    endpointId: row.endpoint_id,
    orgId: row.org_id,
    orgSlug: row.org_slug,
    name: row.name,
    auth: row.auth,
    status: row.status,
    updatedAt: row.updated_at,
    revision:
      row.revision_id && row.revision !== null && policy
        ? {
            id: row.revision_id,
            number: row.revision,
            policy,
            // A version deleted under a revision has no pipeline: that variant cannot be served (the registry refuses such deletes).
            variants: policy.variants.flatMap((v) => (pipelines?.[v.modelVersionId] ? [{ ...v, pipelineSha256: pipelines[v.modelVersionId] as string }] : [])),
          }
        : null,
  };
}

export async function servingDeploymentByName(db: Executor, orgSlug: string, name: string): Promise<ServingDeployment | null> {
  const rows = (await db.execute(sql`${select} where o.slug = ${orgSlug} and e.name = ${name}`)) as unknown as Row[];
  return rows[0] ? toDeployment(rows[0]) : null;
}

export async function servingDeploymentById(db: Executor, endpointId: string): Promise<ServingDeployment | null> {
  const rows = (await db.execute(sql`${select} where e.id = ${endpointId}`)) as unknown as Row[];
  return rows[0] ? toDeployment(rows[0]) : null;
}

/** Endpoints changed since a poll: the ids whose `updated_at` differs from what the caller holds (or that are gone). */
export async function changedEndpoints(db: Executor, held: Map<string, string>): Promise<string[]> {
  if (!held.size) return [];
  const ids = [...held.keys()];
  const rows = (await db.execute(sql`select id, updated_at::text as updated_at from endpoints where id = any(string_to_array(${ids.join(",")}, ',')::uuid[])`)) as unknown as { id: string; updated_at: string }[];
  const now = new Map(rows.map((r) => [r.id, r.updated_at]));
  return ids.filter((id) => now.get(id) !== held.get(id));
}

/** Active endpoints with a deployment, newest deploy first: what a starting server warms. */
export async function activeServingDeployments(db: Executor, limit: number): Promise<ServingDeployment[]> {
  const rows = (await db.execute(sql`${select} where e.status = 'active' and e.current_revision_id is not null order by r.created_at desc limit ${limit}`)) as unknown as Row[];
  return rows.map(toDeployment);
}

/** The endpoint's name and current revision's policy (null before the first deploy). */
export async function currentPolicy(db: Executor, endpointId: string): Promise<{ name: string; policy: TrafficPolicy } | null> {
  const rows = (await db.execute(sql`
    select e.name, r.policy from endpoints e join deployment_revisions r on r.id = e.current_revision_id where e.id = ${endpointId}`)) as unknown as { name: string; policy: TrafficPolicy }[];
  return rows[0] ?? null;
}
