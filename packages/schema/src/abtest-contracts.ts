import { z } from "zod";

import { abTestGuardrails, abTestKinds, abTestMetrics, abTestStatuses, alertSeverities, alertStatuses } from "./abtests";
import { ZAliasName } from "./registry";
import { ZEndpointName } from "./serving";

/* Contracts of the A/B test surfaces (tRPC, client, CLI). The table is in ./abtests. */

export const abTestLimits = { hypothesisLength: 5_000, maxVariants: 8 } as const;

export const ZAbTestName = z
  .string({ error: "name is required" })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: "test name must be 1-64 lowercase letters, digits or '-', starting and ending with a letter or digit" });

const ZVariantName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { error: "variant name must be 1-32 lowercase letters, digits, '-' or '_'" });

export const ZAbTestVariantInput = z.object({
  /** Default: `control` for the first, then `treatment`, `treatment-2`, … */
  name: ZVariantName.optional(),
  /** `models:/NAME@ALIAS`, `models:/NAME/VERSION`, `NAME@ALIAS` or `NAME/VERSION`. */
  model: z.string({ error: "model is required" }).min(1, { error: "model is required" }),
  /** Split only: percent of traffic (all weights sum to 100). */
  weight: z.number({ error: "weight must be a number" }).min(0, { error: "weight must be between 0 and 100" }).max(100, { error: "weight must be between 0 and 100" }).optional(),
});

export const ZAbTestPlanInput = z.object({
  /** Conversion: the control's expected rate (0–1); mean metrics: the metric's standard deviation. */
  baseline: z.number({ error: "plan.baseline must be a number" }).positive({ error: "plan.baseline must be positive" }),
  /** Relative for conversion (0.05 = +5%), absolute for means. */
  minimumDetectableEffect: z.number({ error: "plan.minimumDetectableEffect must be a number" }).positive({ error: "plan.minimumDetectableEffect must be positive" }),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  power: z.number().gt(0.5).lt(1).default(0.8),
});

export const ZStartAbTestInput = z.object({
  endpoint: ZEndpointName,
  name: ZAbTestName,
  hypothesis: z.string().max(abTestLimits.hypothesisLength).optional(),
  kind: z.enum(abTestKinds, { error: `kind must be one of ${abTestKinds.join(", ")}` }),
  /** The first is the control (the champion). */
  variants: z.array(ZAbTestVariantInput).min(2, { error: "an A/B test needs at least two variants" }).max(abTestLimits.maxVariants, { error: `at most ${abTestLimits.maxVariants} variants` }),
  primaryMetric: z.enum(abTestMetrics, { error: `primaryMetric must be one of ${abTestMetrics.join(", ")}` }).default("conversion"),
  guardrails: z.array(z.enum(abTestGuardrails)).default(["error_rate", "p99_latency"]),
  plan: ZAbTestPlanInput,
  /** Moved to the winner on promotion (e.g. `champion`). */
  promoteAlias: ZAliasName.optional(),
  /** The request field or header holding the unit id for sticky assignment (besides `x-unit-id` and `unit_id`). */
  stickyKey: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "stickyKey must be 1-64 letters, digits, '_' or '-'" }).optional(),
  canary: z
    .object({
      steps: z.array(z.number().min(1).max(100)).min(1).default([5, 25, 50, 100]),
      everyMinutes: z.number().positive().optional(),
      everyRequests: z.number().int().positive().optional(),
      maxErrorRate: z.number().min(0).max(1).default(0.05),
      maxP99Ms: z.number().positive().default(250),
      maxRewardDrop: z.number().min(0).optional(),
      minRequests: z.number().int().min(1).default(50),
    })
    .optional(),
  shadow: z.object({ mirrorPercent: z.number().min(0).max(100).default(100) }).optional(),
  bandit: z.object({ algorithm: z.enum(["thompson", "epsilon_greedy"]).default("thompson"), epsilon: z.number().min(0).max(1).default(0.1) }).optional(),
});
export type StartAbTestInput = z.input<typeof ZStartAbTestInput>;

export const ZAbTestIdInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
export const ZAbTestDecisionInput = z.object({
  id: z.uuid({ error: "id must be a UUID" }),
  /** Promote: the variant to promote (default: the best by the primary metric). */
  variant: ZVariantName.optional(),
  reason: z.string().max(1_000).optional(),
});
export const ZListAbTestsInput = z.object({ endpoint: ZEndpointName.optional(), status: z.enum(abTestStatuses).optional() }).default({});

export const ZAbTest = z.object({
  id: z.string(),
  name: z.string(),
  endpoint: z.string(),
  hypothesis: z.string().nullable(),
  kind: z.enum(abTestKinds),
  status: z.enum(abTestStatuses),
  variants: z.array(z.object({ name: z.string(), model: z.string(), version: z.number().int(), modelVersionId: z.string(), weight: z.number() })),
  primaryMetric: z.enum(abTestMetrics),
  guardrails: z.array(z.enum(abTestGuardrails)),
  plan: z.object({ baseline: z.number(), minimumDetectableEffect: z.number(), alpha: z.number(), power: z.number(), unitsPerVariant: z.number() }),
  promoteAlias: z.string().nullable(),
  startedAt: z.date(),
  stoppedAt: z.date().nullable(),
  decision: z.string().nullable(),
  decidedBy: z.string().nullable(),
  createdBy: z.string(),
});
export type AbTest = z.output<typeof ZAbTest>;

const ZEffect = z.object({ effect: z.number(), ci: z.tuple([z.number(), z.number()]) });
export const ZAbVerdict = z.object({ decision: z.enum(["promote", "keep_collecting", "no_difference", "rollback", "invalid"]), sentence: z.string() });

/** Results per variant (the first is the control), the SRM check, the verdict and the estimate over time. */
export const ZAbTestResults = z.object({
  test: ZAbTest,
  metric: z.enum(abTestMetrics),
  variants: z.array(
    z.object({
      name: z.string(),
      model: z.string(),
      version: z.number().int(),
      control: z.boolean(),
      /** Units (conversion, mean_reward) or labelled rows (accuracy, log_loss, rmse). */
      units: z.number(),
      /** Conversion rate, mean reward per unit, accuracy, mean log loss or mean squared error. */
      mean: z.number().nullable(),
      absolute: ZEffect.nullable(),
      relative: ZEffect.nullable(),
      /** Fixed-horizon, two-sided. */
      pValue: z.number().nullable(),
      /** Always-valid (mSPRT) over the daily looks: safe to watch every day. */
      sequentialPValue: z.number().nullable(),
      chanceToBeatControl: z.number().nullable(),
      verdict: ZAbVerdict.nullable(),
    }),
  ),
  srm: z.object({ chi2: z.number(), pValue: z.number(), flagged: z.boolean(), expected: z.array(z.number()) }).nullable(),
  /** Units of the smallest arm ÷ planned units per variant. */
  sampleShare: z.number(),
  best: z.string().nullable(),
  verdict: ZAbVerdict,
  /** Cumulative lift (relative when defined) and its CI per treatment and day. */
  series: z.array(z.object({ day: z.string(), variant: z.string(), units: z.number(), effect: z.number(), low: z.number(), high: z.number() })),
});
export type AbTestResults = z.output<typeof ZAbTestResults>;

export const ZAlertIdInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
/** The org's alerts, or one endpoint's (by name); firing or resolved ones only when asked. */
export const ZListAlertsInput = z.object({ status: z.enum(alertStatuses).optional(), endpoint: ZEndpointName.optional() }).default({});
export const ZAlert = z.object({
  id: z.string(),
  endpointId: z.string().nullable(),
  source: z.string(),
  fingerprint: z.string(),
  severity: z.enum(alertSeverities),
  status: z.enum(alertStatuses),
  title: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  firedAt: z.date(),
  lastSeenAt: z.date(),
  resolvedAt: z.date().nullable(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type AlertItem = z.output<typeof ZAlert>;
