import type { StartAbTestInput } from "@gantry/schema/abtest-contracts";
import { sampleSizeForMeans, sampleSizeForProportions } from "@gantry/ml/stats";

/*
 * The start form's state and what it sends: pure, so the weights check, the planned sample and
 * the input built for `abtest.start` are tested without a browser.
 */

export type Kind = StartAbTestInput["kind"];
export type Metric = NonNullable<StartAbTestInput["primaryMetric"]>;
export type Guardrail = "error_rate" | "p99_latency";

/** `alias:<name>` or `version:<n>`, as the deploy form names what to serve. */
export type Choice = `alias:${string}` | `version:${number}`;
export type VariantRow = { model: string; choice: Choice | ""; weight: number };

export type Draft = {
  endpoint: string;
  name: string;
  hypothesis: string;
  kind: Kind;
  variants: VariantRow[];
  primaryMetric: Metric;
  guardrails: Guardrail[];
  plan: { baseline: string; minimumDetectableEffect: string; alpha: string; power: string };
  promoteAlias: string;
  stickyKey: string;
  canary: { steps: string; every: string; everyUnit: "minutes" | "requests"; maxErrorRatePercent: string; maxP99Ms: string; minRequests: string };
  shadow: { mirrorPercent: number };
  bandit: { algorithm: "thompson" | "epsilon_greedy"; epsilon: string };
};

/** Rates are compared as proportions; the other metrics as means (the server plans the same way). */
export const isRateMetric = (metric: Metric) => metric === "conversion" || metric === "accuracy";

/** Whole percents summing to 100, the remainder to the first rows: 50/50, 34/33/33. */
export function equalWeights(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

export const weightSum = (rows: Pick<VariantRow, "weight">[]) => rows.reduce((a, r) => a + r.weight, 0);

/** `NAME@ALIAS` or `NAME/VERSION`: the model reference `abtest.start` resolves and pins. */
export function modelRef(model: string, choice: Choice | ""): string {
  if (!choice) return model;
  return choice.startsWith("alias:") ? `${model}@${choice.slice("alias:".length)}` : `${model}/${choice.slice("version:".length)}`;
}

const num = (raw: string) => (raw.trim() === "" ? Number.NaN : Number(raw));
const optionalNum = (raw: string) => (raw.trim() === "" ? undefined : Number(raw));

/** Units per variant the plan asks for, or why it cannot be computed (shown as the hint). */
export function plannedSample(metric: Metric, plan: Draft["plan"]): { unitsPerVariant: number } | { error: string } {
  const baseline = num(plan.baseline);
  const minimumDetectableEffect = num(plan.minimumDetectableEffect);
  const alpha = optionalNum(plan.alpha) ?? 0.05;
  const power = optionalNum(plan.power) ?? 0.8;
  try {
    const unitsPerVariant = isRateMetric(metric)
      ? sampleSizeForProportions({ baseline, minimumDetectableEffect, alpha, power })
      : sampleSizeForMeans({ std: baseline, minimumDetectableEffect, alpha, power });
    return { unitsPerVariant };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** `5, 25, 50, 100` → [5, 25, 50, 100] (anything unreadable stays NaN for the server to name). */
export const parseSteps = (raw: string) => raw.split(/[\s,]+/).filter(Boolean).map(Number);

/** The form's state as `abtest.start` takes it: only the kind's own options, optional fields left out when empty. */
export function startInput(draft: Draft): StartAbTestInput {
  const { kind } = draft;
  const c = draft.canary;
  const every = optionalNum(c.every);
  return {
    endpoint: draft.endpoint,
    name: draft.name.trim(),
    ...(draft.hypothesis.trim() ? { hypothesis: draft.hypothesis.trim() } : {}),
    kind,
    variants: draft.variants.map((v) => ({ model: modelRef(v.model, v.choice), ...(kind === "split" ? { weight: v.weight } : {}) })),
    primaryMetric: draft.primaryMetric,
    guardrails: draft.guardrails,
    plan: {
      baseline: num(draft.plan.baseline),
      minimumDetectableEffect: num(draft.plan.minimumDetectableEffect),
      ...(optionalNum(draft.plan.alpha) === undefined ? {} : { alpha: num(draft.plan.alpha) }),
      ...(optionalNum(draft.plan.power) === undefined ? {} : { power: num(draft.plan.power) }),
    },
    ...(draft.promoteAlias.trim() ? { promoteAlias: draft.promoteAlias.trim() } : {}),
    ...(draft.stickyKey.trim() ? { stickyKey: draft.stickyKey.trim() } : {}),
    ...(kind === "canary"
      ? {
          canary: {
            steps: parseSteps(c.steps),
            ...(every === undefined ? {} : c.everyUnit === "minutes" ? { everyMinutes: every } : { everyRequests: every }),
            ...(optionalNum(c.maxErrorRatePercent) === undefined ? {} : { maxErrorRate: num(c.maxErrorRatePercent) / 100 }),
            ...(optionalNum(c.maxP99Ms) === undefined ? {} : { maxP99Ms: num(c.maxP99Ms) }),
            ...(optionalNum(c.minRequests) === undefined ? {} : { minRequests: num(c.minRequests) }),
          },
        }
      : {}),
    ...(kind === "shadow" ? { shadow: { mirrorPercent: draft.shadow.mirrorPercent } } : {}),
    ...(kind === "bandit"
      ? { bandit: { algorithm: draft.bandit.algorithm, ...(draft.bandit.algorithm === "epsilon_greedy" && optionalNum(draft.bandit.epsilon) !== undefined ? { epsilon: num(draft.bandit.epsilon) } : {}) } }
      : {}),
  };
}
