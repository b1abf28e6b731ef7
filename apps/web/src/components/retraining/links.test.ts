import { describe, expect, it } from "vitest";

import { timelineLink } from "./links";

describe("a retraining run's timeline links", () => {
  it("opens the page of what each event points at", () => {
    expect(timelineLink("acme", "churn model", "alert", "a1")).toEqual({ href: "/o/acme/alerts", label: "alert" });
    expect(timelineLink("acme", "churn model", "job", "j1")).toEqual({ href: "/o/acme/jobs/j1", label: "training job" });
    expect(timelineLink("acme", "churn model", "version", 3)).toEqual({ href: "/o/acme/models/churn%20model", label: "churn model v3" });
    expect(timelineLink("acme", "churn model", "abtest", "t1")).toEqual({ href: "/o/acme/abtests/t1", label: "canary A/B test" });
    expect(timelineLink("acme", "m", "run", "r1")?.href).toBe("/o/acme/runs/r1");
    expect(timelineLink("acme", "m", "dataset", "churn/2")).toEqual({ href: "/o/acme/datasets/churn/versions/2", label: "churn v2" });
  });

  it("skips what has no page", () => {
    expect(timelineLink("acme", "m", "run", "")).toBeNull();
    expect(timelineLink("acme", "m", "something", "x")).toBeNull();
    expect(timelineLink("acme", "m", "dataset", "churn")).toBeNull();
  });
});
