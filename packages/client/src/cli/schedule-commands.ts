import type { Command } from "commander";

import type { Schedule } from "@gantry/schema/schedule-contracts";
import type { TrainingSpecInput } from "@gantry/schema/training";

import type { GantryClient } from "../client";
import { readJsonObject } from "./json-file";
import type { Io } from "./output";
import { emit } from "./output";
import { table } from "./table";

type WithClient = (body: (client: GantryClient, json: boolean) => Promise<void>) => () => Promise<void>;

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) : "—");
const datasetOf = (s: Schedule) => {
  const d = s.spec.dataset as { name?: string; version?: number | string } | undefined;
  return d?.name ? `${d.name}@${d.version ?? "latest"}` : "—";
};

/** `gantry schedules list|get|create|update|pause|resume|delete|run`. */
export function addScheduleCommands(program: Command, io: Io, withClient: WithClient) {
  const schedules = program.command("schedules").description("training on a cron (the worker fires due schedules every minute)");
  schedules
    .command("list")
    .description("schedules of the key's org")
    .action(() =>
      withClient(async (client, json) => {
        const list = await client.schedules.list();
        emit(io, json, list, () =>
          table(
            ["SCHEDULE ID", "NAME", "CRON", "TIMEZONE", "STATE", "NEXT (UTC)", "LAST (UTC)", "DATASET"],
            list.map((s) => [s.id, s.name, s.cron, s.timezone, s.paused ? "paused" : "active", when(s.nextFireAt), when(s.lastFiredAt), datasetOf(s)]),
          ),
        );
      })(),
    );
  schedules
    .command("get <scheduleId>")
    .description("a schedule and its newest jobs")
    .action((scheduleId: string) =>
      withClient(async (client, json) => {
        const s = await client.schedules.get(scheduleId);
        emit(io, json, s, () => [
          `schedule: ${s.name} (${s.id})`,
          `cron:     ${s.cron} (${s.timezone})${s.paused ? "   paused" : ""}`,
          `next:     ${when(s.nextFireAt)} UTC   last ${when(s.lastFiredAt)} UTC`,
          `dataset:  ${datasetOf(s)}   target: ${String(s.spec.target ?? "—")}`,
          "jobs:",
          ...(s.recentJobs.length ? s.recentJobs.map((j) => `  ${j.id}  ${j.status.padEnd(9)}  ${when(j.createdAt)}${j.error ? `  ${j.error}` : ""}`) : ["  (none yet)"]),
        ]);
      })(),
    );
  schedules
    .command("create")
    .description("schedule a training spec (its dataset may say latest: resolved at each firing)")
    .requiredOption("--name <name>", "a name for people")
    .requiredOption("--cron <expr>", 'five fields, e.g. "0 3 * * 1" (Mondays 03:00), or @daily, @hourly …')
    .requiredOption("--spec <file>", "a JSON training spec")
    .option("--timezone <tz>", "IANA time zone the cron is read in", "UTC")
    .action((opts: { name: string; cron: string; spec: string; timezone: string }) =>
      withClient(async (client, json) => {
        const spec = (await readJsonObject(opts.spec, "--spec")) as TrainingSpecInput;
        const s = await client.schedules.create({ name: opts.name, cron: opts.cron, timezone: opts.timezone, spec });
        emit(io, json, s, () => [`Created schedule ${s.id} '${s.name}' (${s.cron}, ${s.timezone}); next firing ${when(s.nextFireAt)} UTC.`]);
      })(),
    );
  schedules
    .command("update <scheduleId>")
    .description("change a schedule's name, cron, time zone or spec")
    .option("--name <name>", "new name")
    .option("--cron <expr>", "new cron")
    .option("--timezone <tz>", "new time zone")
    .option("--spec <file>", "a new JSON training spec")
    .action((scheduleId: string, opts: { name?: string; cron?: string; timezone?: string; spec?: string }) =>
      withClient(async (client, json) => {
        const spec = opts.spec ? ((await readJsonObject(opts.spec, "--spec")) as TrainingSpecInput) : undefined;
        const s = await client.schedules.update({ scheduleId, name: opts.name, cron: opts.cron, timezone: opts.timezone, spec });
        emit(io, json, s, () => [`Updated schedule ${s.id} '${s.name}' (${s.cron}, ${s.timezone}); next firing ${when(s.nextFireAt)} UTC.`]);
      })(),
    );
  schedules
    .command("pause <scheduleId>")
    .description("stop firing (times missed meanwhile are not replayed on resume)")
    .action((scheduleId: string) =>
      withClient(async (client, json) => {
        const s = await client.schedules.pause(scheduleId);
        emit(io, json, s, () => [`Paused schedule ${s.id} '${s.name}'.`]);
      })(),
    );
  schedules
    .command("resume <scheduleId>")
    .description("fire again, from the next time after now")
    .action((scheduleId: string) =>
      withClient(async (client, json) => {
        const s = await client.schedules.resume(scheduleId);
        emit(io, json, s, () => [`Resumed schedule ${s.id} '${s.name}'; next firing ${when(s.nextFireAt)} UTC.`]);
      })(),
    );
  schedules
    .command("delete <scheduleId>")
    .description("delete a schedule (the jobs it made stay)")
    .action((scheduleId: string) =>
      withClient(async (client, json) => {
        const result = await client.schedules.delete(scheduleId);
        emit(io, json, { scheduleId, ...result }, () => [`Deleted schedule ${scheduleId}.`]);
      })(),
    );
  schedules
    .command("run <scheduleId>")
    .description("submit the schedule's training job now (its next firing is unchanged)")
    .action((scheduleId: string) =>
      withClient(async (client, json) => {
        const job = await client.schedules.runNow(scheduleId);
        emit(io, json, job, () => [`Submitted job ${job.id} from schedule ${scheduleId}.`, `Follow it: gantry jobs logs ${job.id} --follow`]);
      })(),
    );
}
