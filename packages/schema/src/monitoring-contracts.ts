import { z } from "zod";

import { alertSeverities } from "./abtests";
import { monitorKinds, monitorResultStatuses, webhookEvents, ZMonitorConfig } from "./monitoring";
import { retrainRunStatuses, retrainTriggers, ZRetrainGate, ZRetrainProductionRows, ZRetrainRollout } from "./retraining";
import { ZEndpointName } from "./serving";

/* Contracts of the monitoring surfaces (tRPC, client, CLI). Tables in ./monitoring. */

export const ZMonitorName = z
  .string({ error: "name is required" })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: "monitor name must be 1-64 lowercase letters, digits or '-', starting and ending with a letter or digit" });

export const ZCreateMonitorInput = z.object({
  endpoint: ZEndpointName,
  name: ZMonitorName,
  kind: z.enum(monitorKinds, { error: `kind must be one of ${monitorKinds.join(", ")}` }),
  config: ZMonitorConfig.default({ windowMinutes: 60, everyMinutes: 5, minRows: 100, driftShare: 0.5, distanceThreshold: 0.1, baseline: "reference", baselineMinutes: 1_440, maxMetricDrop: 0.05, minLabels: 50 }),
  severity: z.enum(alertSeverities).default("warning"),
});
export type CreateMonitorInput = z.input<typeof ZCreateMonitorInput>;

export const ZMonitorIdInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
export const ZUpdateMonitorInput = z.object({ id: z.uuid({ error: "id must be a UUID" }), enabled: z.boolean().optional(), config: ZMonitorConfig.optional(), severity: z.enum(alertSeverities).optional() });
export const ZListMonitorsInput = z.object({ endpoint: ZEndpointName.optional() }).default({});

const ZFinding = z.object({
  name: z.string(),
  test: z.string(),
  statistic: z.number().nullable(),
  threshold: z.number(),
  flagged: z.boolean(),
  reference: z.object({ labels: z.array(z.string()), shares: z.array(z.number()) }).optional(),
  current: z.object({ labels: z.array(z.string()), shares: z.array(z.number()) }).optional(),
  note: z.string().optional(),
});

export const ZMonitorResult = z.object({
  id: z.string(),
  evaluatedAt: z.date(),
  windowStart: z.date(),
  windowEnd: z.date(),
  status: z.enum(monitorResultStatuses),
  rows: z.number().int(),
  score: z.record(z.string(), z.number()),
  findings: z.array(ZFinding),
});
export type MonitorResult = z.output<typeof ZMonitorResult>;

export const ZMonitor = z.object({
  id: z.string(),
  endpoint: z.string(),
  name: z.string(),
  kind: z.enum(monitorKinds),
  config: ZMonitorConfig,
  severity: z.enum(alertSeverities),
  enabled: z.boolean(),
  lastEvaluatedAt: z.date().nullable(),
  createdAt: z.date(),
  /** Newest first (the monitor's page draws them as time series). */
  recent: z.array(ZMonitorResult),
});
export type Monitor = z.output<typeof ZMonitor>;

export const ZCreateWebhookInput = z.object({
  name: ZMonitorName,
  url: z.url({ error: "url must be an http(s) URL" }).refine((u) => /^https?:\/\//.test(u), { error: "url must be an http(s) URL" }),
  events: z.array(z.enum(webhookEvents)).min(1, { error: "events: choose at least one" }).default(["alert.fired", "alert.resolved"]),
});
export const ZWebhookIdInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
export const ZWebhook = z.object({ id: z.string(), name: z.string(), url: z.string(), events: z.array(z.enum(webhookEvents)), enabled: z.boolean(), createdAt: z.date() });
export const ZWebhookWithSecret = ZWebhook.extend({ secret: z.string() });
export const ZWebhookDelivery = z.object({
  id: z.string(),
  event: z.enum(webhookEvents),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
});

export const ZCreateRetrainPolicyInput = z.object({
  name: ZMonitorName,
  model: z.string().min(1, { error: "model is required" }),
  endpoint: ZEndpointName,
  triggers: z.array(z.enum(retrainTriggers)).min(1, { error: "triggers: choose at least one" }).default(["manual", "data_drift"]),
  spec: z.record(z.string(), z.unknown()),
  gate: ZRetrainGate,
  rollout: ZRetrainRollout.default({ steps: [10, 50, 100], maxErrorRate: 0.05, maxP99Ms: 500, minRequests: 20, everyMinutes: 10 }),
  cooldownMinutes: z.number().int().min(0).max(100_000).default(60),
  /** Off when left out. */
  productionRows: ZRetrainProductionRows.optional(),
});
export type CreateRetrainPolicyInput = z.input<typeof ZCreateRetrainPolicyInput>;
export const ZRetrainPolicyIdInput = z.object({ id: z.uuid({ error: "id must be a UUID" }) });
export const ZRetrainRun = z.object({
  id: z.string(),
  trigger: z.string(),
  status: z.enum(retrainRunStatuses),
  jobId: z.string().nullable(),
  challengerVersion: z.number().int().nullable(),
  championVersion: z.number().int().nullable(),
  abTestId: z.string().nullable(),
  gate: z.record(z.string(), z.unknown()).nullable(),
  timeline: z.array(z.object({ at: z.string(), step: z.string(), message: z.string(), links: z.record(z.string(), z.union([z.string(), z.number()])).optional() })),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type RetrainRun = z.output<typeof ZRetrainRun>;
export const ZRetrainPolicy = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  endpoint: z.string(),
  triggers: z.array(z.enum(retrainTriggers)),
  spec: z.record(z.string(), z.unknown()),
  gate: ZRetrainGate,
  rollout: ZRetrainRollout,
  cooldownMinutes: z.number().int(),
  productionRows: ZRetrainProductionRows,
  enabled: z.boolean(),
  runs: z.array(ZRetrainRun),
});
export type RetrainPolicy = z.output<typeof ZRetrainPolicy>;
