import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

import type { TRPCClient } from "@trpc/client";

import type { AppRouter } from "@gantry/api";
import type { Run } from "@gantry/schema/tracking-contracts";

export type RunStatus = "FINISHED" | "FAILED" | "KILLED";
type Metric = { key: string; value: number; timestamp: number; step: number };

export type StartRunOptions = {
  /** Experiment name (created when missing) or id. */
  experiment: string;
  name?: string;
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
  parentRunId?: string;
};

export type RunHandleOptions = {
  /** Flush buffered metrics at this many points (MLflow's batch limit is 1,000). */
  batchSize?: number;
  /** …or after this long, in the background. */
  flushIntervalMs?: number;
};

const toPairs = (record: Record<string, string | number | boolean>) => Object.entries(record).map(([key, value]) => ({ key, value: String(value) }));

/**
 * A run being logged: metrics are buffered and sent in batches (in the background and on
 * `end()`); params and tags go at once. Errors of background flushes surface on the next call.
 */
export class RunHandle {
  private buffer: Metric[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly batchSize: number;

  constructor(
    private readonly api: TRPCClient<AppRouter>,
    private readonly upload: (artifactPath: string, body: ReadableStream<Uint8Array>, size: number, contentType: string) => Promise<void>,
    readonly run: Run,
    options: RunHandleOptions = {},
  ) {
    this.batchSize = Math.min(options.batchSize ?? 1000, 1000);
    this.timer = setInterval(() => void this.flush().catch(() => undefined), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  get id() {
    return this.run.info.id;
  }

  private check() {
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      throw f;
    }
  }

  logMetric(key: string, value: number, step = 0, timestamp = Date.now()): void {
    this.check();
    this.buffer.push({ key, value, step, timestamp });
    if (this.buffer.length >= this.batchSize) void this.flush().catch(() => undefined);
  }

  logMetrics(values: Record<string, number>, step = 0): void {
    const timestamp = Date.now();
    for (const [key, value] of Object.entries(values)) this.logMetric(key, value, step, timestamp);
  }

  /** Sends what is buffered; batches go one after another, in order. */
  flush(): Promise<void> {
    const run = async () => {
      while (this.buffer.length) {
        const batch = this.buffer.splice(0, this.batchSize);
        await this.api.run.logBatch.mutate({ runId: this.id, metrics: batch });
      }
    };
    this.flushing = this.flushing.then(run).catch((error: unknown) => {
      this.failure = error;
      throw error;
    });
    return this.flushing;
  }

  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    this.check();
    await this.api.run.logBatch.mutate({ runId: this.id, params: toPairs(params) });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    this.check();
    await this.api.run.logBatch.mutate({ runId: this.id, tags: toPairs(tags) });
  }

  /** Streams a local file to the run's artifacts (at `artifactPath`, default its file name). */
  async logArtifact(localPath: string, artifactPath = path.basename(localPath)): Promise<void> {
    this.check();
    const { size } = await stat(localPath);
    const body = Readable.toWeb(createReadStream(localPath)) as ReadableStream<Uint8Array>;
    await this.upload(`${this.run.info.experimentId}/${this.id}/artifacts/${artifactPath.split("/").map(encodeURIComponent).join("/")}`, body, size, guessContentType(localPath));
  }

  /** Flushes, then marks the run finished (or failed / killed). */
  async end(status: RunStatus = "FINISHED"): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    await this.api.run.update.mutate({ runId: this.id, status, endTime: Date.now() });
  }
}

const types: Record<string, string> = { ".json": "application/json", ".txt": "text/plain", ".csv": "text/csv", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml", ".md": "text/markdown", ".html": "text/html" };
const guessContentType = (p: string) => types[path.extname(p).toLowerCase()] ?? "application/octet-stream";

/** The experiment's id: `experiment` is an id, or a name (created when missing). */
export async function resolveExperiment(api: TRPCClient<AppRouter>, experiment: string): Promise<string> {
  const byName = await api.experiment.list.query({ filter: `name = '${experiment.replace(/'/g, "''")}'`, viewType: "ACTIVE_ONLY", maxResults: 1 });
  if (byName.experiments[0]) return byName.experiments[0].id;
  if (/^[0-9a-f-]{36}$/i.test(experiment) || experiment === "0") return (await api.experiment.get.query({ experimentId: experiment })).id;
  return (await api.experiment.create.mutate({ name: experiment })).id;
}
