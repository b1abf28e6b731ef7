import { sql } from "@gantry/db";
import { newId, ZFeedbackInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { endpointByName } from "./lookup";

/**
 * Stores labels or rewards for an endpoint's predictions, keyed by (request_id, row). The
 * prediction need not be logged yet: the log is written asynchronously and feedback may win
 * the race. Upserted, so a retried call is harmless; the latest call wins field by field (a
 * reward sent after a label keeps the label). Within one call, the last item for a key wins.
 */
export async function recordFeedback(ctx: OrgContext, endpointName: string, raw: unknown): Promise<{ accepted: number }> {
  const input = parseInput(ZFeedbackInput, raw);
  const endpoint = await endpointByName(ctx, endpointName);
  const latest = new Map<string, { requestId: string; rowIndex: number; label: string | null; reward: number | null }>();
  for (const item of input.feedback) {
    const rowIndex = item.row ?? 0;
    const key = `${rowIndex}\u0000${item.request_id}`;
    const before = latest.get(key);
    latest.set(key, {
      requestId: item.request_id,
      rowIndex,
      label: item.label === undefined ? (before?.label ?? null) : String(item.label),
      reward: item.reward ?? before?.reward ?? null,
    });
  }
  const rows = [...latest.values()];
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  // unnest, not a VALUES list: 10,000 items × 7 columns would pass PostgreSQL's 65,535 parameters.
  await ctx.db.execute(sql`
    insert into prediction_feedback (id, org_id, endpoint_id, request_id, row_index, label, reward)
    select t.id, ${ctx.orgId}::uuid, ${endpoint.id}::uuid, t.request_id, t.row_index, t.label, t.reward
    from unnest(${col(() => newId())}::uuid[], ${col((r) => r.requestId)}::text[], ${col((r) => r.rowIndex)}::int[], ${col((r) => r.label)}::text[], ${col((r) => r.reward)}::float8[])
      as t(id, request_id, row_index, label, reward)
    on conflict (endpoint_id, request_id, row_index) do update set
      label = coalesce(excluded.label, prediction_feedback.label),
      reward = coalesce(excluded.reward, prediction_feedback.reward),
      updated_at = now()`);
  return { accepted: input.feedback.length };
}
