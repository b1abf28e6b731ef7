import type { Executor } from "@gantry/db";
import { sql } from "@gantry/db";

/*
 * `prediction_log` is partitioned by range on created_at, one partition per UTC day, named
 * prediction_log_YYYYMMDD. Retention drops whole partitions: no DELETE, no vacuum debt.
 */

const DAY_MS = 86_400_000;
const PARTITION_NAME = /^prediction_log_(\d{4})(\d{2})(\d{2})$/;

export const utcDayStart = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

export const predictionPartitionName = (day: Date): string => `prediction_log_${utcDayStart(day).toISOString().slice(0, 10).replaceAll("-", "")}`;

/** The SQLSTATE of an error or of any error in its cause chain (drizzle wraps the driver's). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Creates the daily partitions of `days` UTC days from the day of `from`, if missing. Two
 * processes may race to create the same one: the loser's duplicate-table error is ignored.
 */
export async function ensurePredictionPartitions(db: Executor, options: { from: Date; days: number }): Promise<string[]> {
  const first = utcDayStart(options.from).getTime();
  const names: string[] = [];
  for (let i = 0; i < options.days; i++) {
    const start = new Date(first + i * DAY_MS);
    const end = new Date(start.getTime() + DAY_MS);
    const name = predictionPartitionName(start);
    try {
      await db.execute(
        sql.raw(`create table if not exists "${name}" partition of prediction_log for values from ('${start.toISOString()}') to ('${end.toISOString()}')`),
      );
    } catch (error) {
      // 42P07: created meanwhile by another process; 23505: its catalog row raced ours.
      const state = sqlState(error);
      if (state !== "42P07" && state !== "23505") throw error;
    }
    names.push(name);
  }
  return names;
}

/**
 * Drops the daily partitions that hold only rows older than `retentionDays` before `now`
 * (a partition goes once its whole day is past the retention) and returns their names.
 */
export async function dropExpiredPredictionPartitions(db: Executor, options: { retentionDays: number; now?: Date }): Promise<string[]> {
  const cutoff = (options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS;
  const rows = (await db.execute(
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'prediction_log'::regclass order by c.relname`,
  )) as unknown as { name: string }[];
  const dropped: string[] = [];
  for (const { name } of rows) {
    const m = PARTITION_NAME.exec(name);
    if (!m) continue;
    const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY_MS;
    if (end > cutoff) continue;
    await db.execute(sql.raw(`drop table if exists "${name}"`));
    dropped.push(name);
  }
  return dropped;
}
