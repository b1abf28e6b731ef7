import { describe, expect, it } from "vitest";

import type { Table } from "@gantry/ml";

import { createTableCache } from "./table-cache";

const table = (rows: number): Table => ({ columns: [{ name: "x", type: "numeric" }], rows: Array.from({ length: rows }, (_, i) => ({ x: i })) });

describe("table cache", () => {
  it("loads a version once, per org, and evicts the least recently used past its cell budget", async () => {
    const cache = createTableCache(10);
    const loads: string[] = [];
    const get = (org: string, version: string, rows: number) =>
      cache.get(org, version, async () => {
        loads.push(`${org}/${version}`);
        return table(rows);
      });
    expect((await get("a", "v1", 4)).cached).toBe(false);
    expect((await get("a", "v1", 4)).cached).toBe(true);
    // The same version id asked for by another org is loaded for that org, never served from a's entry.
    expect((await get("b", "v1", 4)).cached).toBe(false);
    await get("a", "v1", 4); // a/v1 is now the most recent
    await get("a", "v2", 4); // 12 cells > 10: b/v1 (least recent) goes
    expect(cache.size).toBe(2);
    expect((await get("b", "v1", 4)).cached).toBe(false);
    // Larger than the whole budget: used, not kept.
    expect((await get("a", "big", 11)).cached).toBe(false);
    expect((await get("a", "big", 11)).cached).toBe(false);
    expect(loads).toEqual(["a/v1", "b/v1", "a/v2", "b/v1", "a/big", "a/big"]);
  });
});
