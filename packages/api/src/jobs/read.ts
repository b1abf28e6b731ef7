import { and, asc, desc, eq, gt, inArray, isNull, lt } from "@gantry/db";
import { GantryError, jobLogs, jobs, ZJobLogsInput, ZListJobsInput } from "@gantry/schema";
import type { Job, JobLogPage, JobLogsInput, JobPage, ListJobsInput } from "@gantry/schema";

import type { OrgContext } from "../context";
import { parseInput } from "../parse";
import { isUuid } from "../tracking/ids";

export type JobRow = typeof jobs.$inferSelect;

/** The public face of a job row (the worker's host name stays inside). */
export const toJob = ({ orgId: _orgId, workerId: _workerId, ...rest }: JobRow): Job => rest;

const notFound = (id: string) => new GantryError("NOT_FOUND", `Job '${id}' not found`, { field: "jobId" });

export async function jobRow(ctx: OrgContext, id: string, options: { forUpdate?: boolean } = {}): Promise<JobRow> {
  if (!isUuid(id)) throw notFound(id);
  const query = ctx.db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.orgId, ctx.orgId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound(id);
  return row;
}

export const getJob = async (ctx: OrgContext, id: string): Promise<Job> => toJob(await jobRow(ctx, id));

/** Newest first, paged by id (UUIDv7, so by creation time). */
export async function listJobs(ctx: OrgContext, raw: ListJobsInput = {}): Promise<JobPage> {
  const input = parseInput(ZListJobsInput, raw);
  const statuses = input.status === undefined ? undefined : Array.isArray(input.status) ? input.status : [input.status];
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.orgId, ctx.orgId),
        statuses ? inArray(jobs.status, statuses) : undefined,
        input.kind ? eq(jobs.kind, input.kind) : undefined,
        input.parentJobId ? eq(jobs.parentJobId, input.parentJobId) : undefined,
        input.topLevel ? isNull(jobs.parentJobId) : undefined,
        input.scheduleId ? eq(jobs.scheduleId, input.scheduleId) : undefined,
        input.cursor ? lt(jobs.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(jobs.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(toJob);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Log lines after `after`, oldest first: a live view polls with the last id it saw. */
export async function listJobLogs(ctx: OrgContext, raw: JobLogsInput): Promise<JobLogPage> {
  const input = parseInput(ZJobLogsInput, raw);
  const job = await jobRow(ctx, input.jobId);
  const items = await ctx.db
    .select({ id: jobLogs.id, level: jobLogs.level, message: jobLogs.message, at: jobLogs.at })
    .from(jobLogs)
    .where(and(eq(jobLogs.jobId, job.id), input.after !== undefined ? gt(jobLogs.id, input.after) : undefined))
    .orderBy(asc(jobLogs.id))
    .limit(input.limit);
  return { items, lastId: items.at(-1)?.id ?? input.after ?? 0 };
}
