import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";

/**
 * Successes and failures per variant of one revision, from feedback: a reward counts as that
 * fraction of a success (clipped to [0, 1], as Seldon's routers count a batch's reward), a label
 * without a reward counts 1 when it reads as a conversion (1, true, yes). Read by the serving
 * router of a bandit policy (not scoped to a caller's org: the router asks for its endpoint).
 */
export async function banditCounts(db: Executor, endpointId: string, revision: number): Promise<Map<string, { successes: number; failures: number }>> {
  const rows = (await db.execute(sql`
    select l.variant,
           count(*)::float8 as n,
           coalesce(sum(case when f.reward is not null then least(greatest(f.reward, 0), 1)
                             when lower(f.label) in ('1', 'true', 'yes') then 1 else 0 end), 0)::float8 as s
      from prediction_feedback f
      join prediction_log l on l.endpoint_id = f.endpoint_id and l.request_id = f.request_id and l.row_index = f.row_index
     where f.endpoint_id = ${endpointId} and l.revision = ${revision}
     group by l.variant`)) as unknown as { variant: string; n: number; s: number }[];
  return new Map(rows.map((r) => [r.variant, { successes: r.s, failures: r.n - r.s }]));
}
