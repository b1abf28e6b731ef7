import type { GantryClient } from "./client";
import type { FeedbackItem, PredictRow } from "./predict";

/*
 * A traffic simulator for A/B tests: synthetic users call an endpoint (each with its own unit id,
 * so a sticky split keeps them on one variant) and convert with a known probability per variant,
 * baseline × (1 + lift), sending the outcome as feedback (reward 1 or 0). With a seed the same
 * users make the same choices, so a run can be replayed. It goes through the serving port like
 * any caller: the endpoint's policy, prediction log and feedback are the real ones.
 */

export type SimulationOptions = {
  endpoint: string;
  users: number;
  /** Conversion probability of a user on a variant with no lift. */
  baseline: number;
  /** Relative lift per variant name (e.g. { treatment: 0.1 } = +10%); others convert at the baseline. */
  lift?: Record<string, number>;
  seed?: number;
  /** Users in flight at once. Default 8. */
  concurrency?: number;
  /** The input row every request sends; default: one built from the served version's signature. */
  row?: PredictRow;
  onProgress?: (done: number, total: number) => void;
};

export type SimulationReport = { users: number; failed: number; firstError: string | null; byVariant: Record<string, { users: number; conversions: number }> };

/** mulberry32: a small seeded generator, enough for reproducible coin flips. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible row for a signature: a number, false, the first known category, now, a word. */
export function exampleRow(inputs: { name: string; type: string; categories?: string[] }[]): PredictRow {
  return Object.fromEntries(
    inputs.map((i) => [i.name, i.type === "boolean" ? false : i.type === "categorical" ? (i.categories?.[0] ?? "a") : i.type === "text" ? "example" : i.type === "datetime" ? Date.now() : 1]),
  );
}

async function servedRow(client: GantryClient, endpoint: string): Promise<PredictRow> {
  const e = await client.endpoints.get(endpoint);
  if (e.model === null || e.version === null) throw new Error(`endpoint ${endpoint} serves nothing yet`);
  const version = await client.api.model.version.query({ name: e.model, version: e.version });
  if (!version.signature) throw new Error(`${e.model}/${e.version} has no signature: pass a row`);
  return exampleRow(version.signature.inputs);
}

export async function simulateAbTraffic(client: GantryClient, options: SimulationOptions): Promise<SimulationReport> {
  if (!Number.isInteger(options.users) || options.users < 1) throw new Error("users must be a positive integer");
  if (!(options.baseline > 0 && options.baseline < 1)) throw new Error("baseline must be a probability between 0 and 1");
  const row = options.row ?? (await servedRow(client, options.endpoint));
  const seed = options.seed ?? 1;
  const random = seeded(seed);
  // Each user's coin is drawn up front, in order: the same seed gives the same users whatever the concurrency.
  const coins = Array.from({ length: options.users }, () => random());
  const report: SimulationReport = { users: options.users, failed: 0, firstError: null, byVariant: {} };
  let pending: FeedbackItem[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length) await client.feedback(options.endpoint, batch);
  };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.users) {
      const i = next++;
      try {
        const answer = await client.predict(options.endpoint, [row], { unitId: `sim-${seed}-${i}` });
        const p = Math.min(1, options.baseline * (1 + (options.lift?.[answer.variant] ?? 0)));
        const converted = (coins[i] ?? 1) < p;
        const tally = (report.byVariant[answer.variant] ??= { users: 0, conversions: 0 });
        tally.users += 1;
        if (converted) tally.conversions += 1;
        pending.push({ requestId: answer.requestId, reward: converted ? 1 : 0 });
        if (pending.length >= 500) await flush();
      } catch (error) {
        report.failed += 1;
        report.firstError ??= error instanceof Error ? error.message : String(error);
      }
      options.onProgress?.(++done, options.users);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  await flush();
  return report;
}
