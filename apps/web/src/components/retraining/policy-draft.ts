import type { CreateRetrainPolicyInput } from "@gantry/schema/monitoring-contracts";

/** What the policy editor holds, as typed (strings), before it becomes `retrain.create`'s input. */
export type PolicyDraft = {
  name: string;
  model: string;
  endpoint: string;
  triggers: string[];
  dataset: string;
  target: string;
  epochs: string;
  hiddenLayers: string;
  extraSpec: string;
  gateMetric: string;
  gateDirection: "higher" | "lower";
  gateMargin: string;
  canarySteps: string;
  canaryEveryMinutes: string;
  cooldownMinutes: string;
  /** Days of labelled production rows to add to the dataset at each run; empty: none. */
  productionDays: string;
};

/** A failure found before sending, named by the field the server would name. */
export type DraftError = { field: string; message: string };

const numberOrRaw = (raw: string) => (raw.trim() === "" ? undefined : Number(raw.trim()));
const list = (raw: string) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);

/**
 * The draft as the create input, or the first thing that cannot be sent (the JSON of the other spec
 * fields, which only the browser can read). Everything else is for the server to judge: an empty
 * box is left out (its default applies), a non-number goes as NaN and comes back named.
 */
export function policyInput(d: PolicyDraft): { input: CreateRetrainPolicyInput } | { error: DraftError } {
  let extra: Record<string, unknown> = {};
  if (d.extraSpec.trim()) {
    try {
      const parsed: unknown = JSON.parse(d.extraSpec);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { error: { field: "spec", message: "Other spec fields must be a JSON object, such as {\"batchSize\": 32}" } };
      extra = parsed as Record<string, unknown>;
    } catch (error) {
      return { error: { field: "spec", message: `Other spec fields are not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
  const extraModel = (extra.model && typeof extra.model === "object" ? extra.model : {}) as Record<string, unknown>;
  const epochs = numberOrRaw(d.epochs);
  const spec: Record<string, unknown> = {
    ...extra,
    dataset: { name: d.dataset },
    target: d.target.trim(),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(d.hiddenLayers.trim() ? { model: { ...extraModel, hiddenLayers: list(d.hiddenLayers) } } : {}),
  };
  const margin = numberOrRaw(d.gateMargin);
  const every = numberOrRaw(d.canaryEveryMinutes);
  const cooldown = numberOrRaw(d.cooldownMinutes);
  const productionDays = numberOrRaw(d.productionDays);
  return {
    input: {
      name: d.name.trim(),
      model: d.model,
      endpoint: d.endpoint,
      triggers: d.triggers as CreateRetrainPolicyInput["triggers"],
      spec,
      gate: { metric: d.gateMetric.trim(), direction: d.gateDirection, ...(margin !== undefined ? { margin } : {}) },
      rollout: { steps: list(d.canarySteps), ...(every !== undefined ? { everyMinutes: every } : {}) },
      ...(cooldown !== undefined ? { cooldownMinutes: cooldown } : {}),
      ...(productionDays !== undefined ? { productionRows: { enabled: true, days: productionDays } } : {}),
    },
  };
}
