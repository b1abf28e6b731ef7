import { describe, expect, it } from "vitest";

import { downloadHref, formatColumnValue, formatPercent, versionHref } from "./format";
import { nameFromFile } from "./upload-request";

describe("dataset formats", () => {
  it("shows shares of rows readably", () => {
    expect(formatPercent(8, 400)).toBe("2%");
    expect(formatPercent(1, 3)).toBe("33%");
    expect(formatPercent(1, 40)).toBe("2.5%");
    expect(formatPercent(1, 10_000)).toBe("<0.1%");
    expect(formatPercent(0, 10)).toBe("0%");
    expect(formatPercent(0, 0)).toBe("—");
  });

  it("shows datetime profile values (epoch ms) as dates, numbers as numbers", () => {
    expect(formatColumnValue("datetime", Date.UTC(2023, 0, 10))).toBe("2023-01-10");
    expect(formatColumnValue("datetime", Date.UTC(2023, 0, 10, 13, 12))).toBe("2023-01-10T13:12:00Z");
    expect(formatColumnValue("numeric", 1 / 3)).toBe("0.33333");
    expect(formatColumnValue("integer", undefined)).toBe("—");
  });

  it("names a dataset after its file, within the allowed characters", () => {
    expect(nameFromFile("Churn 2024 (final).csv")).toBe("Churn_2024_final_");
    expect(nameFromFile("__data.v2.csv")).toBe("data.v2");
  });

  it("links versions and downloads with the org", () => {
    expect(versionHref("acme", "churn", 3)).toBe("/o/acme/datasets/churn/versions/3");
    expect(downloadHref("acme", "churn", 3)).toBe("/api/v1/datasets/churn/versions/3/download?org=acme");
  });
});
