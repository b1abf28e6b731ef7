import { describe, expect, it } from "vitest";

import type { Job } from "@gantry/schema/job-contracts";

import { formatEta, groupCurves, jobDataset, jobDuration, jobTitle, progressText, shortId } from "./job-format";

const job = (change: Partial<Job> = {}): Job => ({
  id: "01a216fb-fc87-7cdd-a6b3-bef40d05ea96",
  kind: "train",
  status: "running",
  spec: { dataset: { name: "churn", version: 3, versionId: "x", sha256: "y" }, target: "churned" },
  progress: { fraction: 0.25, epoch: 5, epochs: 20 },
  runId: null,
  parentJobId: null,
  scheduleId: null,
  result: null,
  error: null,
  cancelRequested: false,
  attempts: 1,
  createdBy: null,
  heartbeatAt: null,
  startedAt: new Date(1_000_000),
  finishedAt: null,
  createdAt: new Date(1_000_000),
  updatedAt: new Date(1_000_000),
  ...change,
});

describe("job formats", () => {
  it("names the job and its data, for training jobs and sweeps", () => {
    expect(jobTitle(job())).toBe("Predict churned");
    expect(jobTitle(job({ spec: { ...job().spec, runName: "nightly" } }))).toBe("nightly");
    const sweep = job({ kind: "sweep", spec: { name: "sweep-1", base: { dataset: { name: "churn", version: 2 }, target: "churned" } } });
    expect(jobTitle(sweep)).toBe("sweep-1");
    expect(jobDataset(sweep)).toEqual({ name: "churn", version: 2 });
    expect(jobDataset(job())).toEqual({ name: "churn", version: 3 });
  });

  it("says where it is: epochs, trials, or waiting", () => {
    expect(progressText(job())).toBe("epoch 5/20");
    expect(progressText(job({ kind: "sweep", progress: { fraction: 0.5, done: 3, total: 6 } }))).toBe("3/6 trials");
    expect(progressText(job({ status: "queued", progress: { fraction: 0 } }))).toBe("waiting for a worker");
  });

  it("times a running job up to now and a finished one to its end", () => {
    expect(jobDuration(job(), 1_000_000 + 65_000)).toBe("1m 5s");
    expect(jobDuration(job({ status: "succeeded", finishedAt: new Date(1_000_000 + 2_000) }), 9e12)).toBe("2s");
    expect(jobDuration(job({ startedAt: null, status: "queued" }), 9e12)).toBe("—");
    expect(formatEta(90_000)).toBe("about 1m 30s left");
    expect(formatEta(0)).toBeNull();
  });

  it("shortens ids by their random end (UUIDv7 starts with the time)", () => {
    expect(shortId(job().id)).toBe("0d05ea96");
  });

  it("pairs each metric with its validation twin and leaves test metrics out", () => {
    expect(groupCurves(["val_loss", "test_auc", "loss", "accuracy", "val_accuracy", "lr"])).toEqual([
      { name: "accuracy", keys: ["accuracy", "val_accuracy"] },
      { name: "loss", keys: ["loss", "val_loss"] },
      { name: "lr", keys: ["lr"] },
    ]);
  });
});
