import { and, desc, eq, inArray } from "@gantry/db";
import type { CreateMonitorInput, Monitor } from "@gantry/schema";
import { endpoints, GantryError, monitorResults, monitors, ZCreateMonitorInput, ZListMonitorsInput, ZMonitorIdInput, ZUpdateMonitorInput } from "@gantry/schema";
import type { z } from "zod";

import type { ArtifactStore } from "../artifacts";
import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { actingUserId } from "../registry/lookup";
import { mutate } from "../services/audit";
import { endpointByName } from "../serving/lookup";
import type { MonitorRow } from "./evaluate";
import { evaluateMonitor } from "./evaluate";

const RECENT = 48;

async function hydrate(ctx: OrgContext, rows: { monitor: MonitorRow; endpoint: string }[]): Promise<Monitor[]> {
  const ids = rows.map((r) => r.monitor.id);
  const results = ids.length ? await ctx.db.select().from(monitorResults).where(inArray(monitorResults.monitorId, ids)).orderBy(desc(monitorResults.evaluatedAt)) : [];
  return rows.map(({ monitor: m, endpoint }) => ({
    id: m.id,
    endpoint,
    name: m.name,
    kind: m.kind,
    config: m.config,
    severity: m.severity,
    enabled: m.enabled,
    lastEvaluatedAt: m.lastEvaluatedAt,
    createdAt: m.createdAt,
    recent: results
      .filter((r) => r.monitorId === m.id)
      .slice(0, RECENT)
      .map((r) => ({ id: r.id, evaluatedAt: r.evaluatedAt, windowStart: r.windowStart, windowEnd: r.windowEnd, status: r.status, rows: r.rows, score: r.score, findings: r.findings })),
  }));
}

async function monitorRow(ctx: OrgContext, id: string): Promise<{ monitor: MonitorRow; endpoint: string }> {
  parseInput(ZMonitorIdInput, { id });
  const [row] = await ctx.db
    .select({ monitor: monitors, endpoint: endpoints.name })
    .from(monitors)
    .innerJoin(endpoints, eq(endpoints.id, monitors.endpointId))
    .where(and(eq(monitors.orgId, ctx.orgId), eq(monitors.id, id)));
  if (!row) throw new GantryError("NOT_FOUND", `No monitor ${id}`, { field: "id" });
  return row;
}

export async function createMonitor(ctx: OrgContext, raw: CreateMonitorInput): Promise<Monitor> {
  const input = parseInput(ZCreateMonitorInput, raw);
  if (input.kind === "service" && input.config.maxP99Ms === undefined && input.config.maxErrorRate === undefined && input.config.minRequests === undefined) {
    throw new GantryError("INVALID_INPUT", "a service monitor needs at least one of config.maxP99Ms, config.maxErrorRate, config.minRequests", { field: "config" });
  }
  if (input.config.baseline === "trailing" && input.kind !== "data_drift" && input.kind !== "prediction_drift") {
    throw new GantryError("INVALID_INPUT", `config.baseline 'trailing' is for drift monitors; a ${input.kind} monitor compares with the version's test metrics or its thresholds`, { field: "config.baseline" });
  }
  if (input.config.everyMinutes > input.config.windowMinutes) {
    throw new GantryError("INVALID_INPUT", `config.everyMinutes (${input.config.everyMinutes}) is longer than config.windowMinutes (${input.config.windowMinutes}): some traffic would never be evaluated`, { field: "config.everyMinutes" });
  }
  const id = await mutate(
    ctx,
    (monitorId: string) => ({ action: "monitor.create", targetType: "monitor", targetId: monitorId, data: { name: input.name, endpoint: input.endpoint, kind: input.kind } }),
    async (tx) => {
      const endpoint = await endpointByName({ ...ctx, db: tx }, input.endpoint);
      const [taken] = await tx.select({ id: monitors.id }).from(monitors).where(and(eq(monitors.orgId, ctx.orgId), eq(monitors.name, input.name)));
      if (taken) throw new GantryError("CONFLICT", `A monitor named '${input.name}' exists already`, { field: "name" });
      const [row] = await tx.insert(monitors).values({ orgId: ctx.orgId, endpointId: endpoint.id, name: input.name, kind: input.kind, config: input.config, severity: input.severity, createdBy: actingUserId(ctx) }).returning({ id: monitors.id });
      if (!row) throw new GantryError("INTERNAL", "monitor not created");
      return row.id;
    },
  );
  return getMonitor(ctx, id);
}

export async function getMonitor(ctx: OrgContext, id: string): Promise<Monitor> {
  const [out] = await hydrate(ctx, [await monitorRow(ctx, id)]);
  if (!out) throw new GantryError("INTERNAL", "monitor vanished");
  return out;
}

export async function listMonitors(ctx: OrgContext, raw: z.input<typeof ZListMonitorsInput> = {}): Promise<Monitor[]> {
  const input = parseInput(ZListMonitorsInput, raw);
  const rows = await ctx.db
    .select({ monitor: monitors, endpoint: endpoints.name })
    .from(monitors)
    .innerJoin(endpoints, eq(endpoints.id, monitors.endpointId))
    .where(and(eq(monitors.orgId, ctx.orgId), input.endpoint ? eq(endpoints.name, input.endpoint) : undefined))
    .orderBy(monitors.name);
  return hydrate(ctx, rows);
}

export async function updateMonitor(ctx: OrgContext, raw: z.input<typeof ZUpdateMonitorInput>): Promise<Monitor> {
  const input = parseInput(ZUpdateMonitorInput, raw);
  await mutate(ctx, { action: "monitor.update", targetType: "monitor", targetId: input.id, data: { enabled: input.enabled, severity: input.severity, config: input.config } }, async (tx) => {
    await monitorRow({ ...ctx, db: tx }, input.id);
    await tx
      .update(monitors)
      .set({ ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...(input.config ? { config: input.config } : {}), ...(input.severity ? { severity: input.severity } : {}) })
      .where(eq(monitors.id, input.id));
  });
  return getMonitor(ctx, input.id);
}

export async function deleteMonitor(ctx: OrgContext, id: string): Promise<void> {
  await mutate(ctx, { action: "monitor.delete", targetType: "monitor", targetId: id }, async (tx) => {
    await monitorRow({ ...ctx, db: tx }, id);
    await tx.delete(monitors).where(eq(monitors.id, id));
  });
}

/** Evaluates the monitor now (as the schedule would), and answers it with the new result first. */
export async function runMonitor(ctx: OrgContext, store: ArtifactStore | undefined, id: string): Promise<Monitor> {
  const { monitor } = await monitorRow(ctx, id);
  if (!store) throw new GantryError("PRECONDITION_FAILED", "This server has no artifact store configured: drift needs the training reference profile");
  await evaluateMonitor(ctx.db as Parameters<typeof evaluateMonitor>[0], store, monitor);
  return getMonitor(ctx, id);
}
