import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";
import { GantryError } from "@gantry/schema";

import { runMatchesFilter, sortRuns } from "./evaluate";
import { parseOrderBy, parseRunFilter } from "./parse";
import type { RunViewType, SearchRunIdsInput } from "./sql";
import { searchRunIds } from "./sql";
import { garbageFilter, orderByArbitrary, validFilter } from "./test-filters";
import type { SeededRuns } from "./test-runs";
import { seedRuns } from "./test-runs";

const tdb = await createTestDatabase();
let seeded: SeededRuns;
beforeAll(async () => {
  seeded = await seedRuns(tdb.db, { seed: 7, count: 60 });
});
afterAll(() => tdb.drop());

const viewTypes: RunViewType[] = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"];

/** Everything the search may see: both experiments, another org's experiment, and an id that is not a uuid. */
const searchInput = (extra: Partial<SearchRunIdsInput>): SearchRunIdsInput => ({
  orgId: seeded.orgId,
  experimentIds: [...seeded.experimentIds, seeded.outsiders.experimentIds[0] ?? "", "12", "not-a-uuid"],
  maxResults: 1000,
  viewType: "ACTIVE_ONLY",
  ...extra,
});

/** What the in-memory evaluator says the search returns. */
function expectedIds(filter: string, orderBy: string[], viewType: RunViewType): string[] {
  const clauses = parseRunFilter(filter);
  const visible = seeded.runs.filter((run) => viewType === "ALL" || run.lifecycleStage === (viewType === "ACTIVE_ONLY" ? "active" : "deleted"));
  return sortRuns(
    visible.filter((run) => runMatchesFilter(run, clauses)),
    parseOrderBy(orderBy),
  ).map((run) => run.id);
}

function parsesOrRefuses(filter: string): boolean {
  try {
    parseRunFilter(filter);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(GantryError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "filter", message: expect.stringMatching(/^Invalid filter at position \d+: /) });
    return false;
  }
}

async function walkPages(input: SearchRunIdsInput): Promise<string[][]> {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await searchRunIds(tdb.db, { ...input, pageToken });
    pages.push(page.runIds);
    pageToken = page.nextPageToken ?? undefined;
    expect(pages.length).toBeLessThan(100);
  } while (pageToken);
  return pages;
}

describe("searchRunIds against the evaluator", () => {
  const runIds = () => seeded.runs.map((run) => run.id);

  it("returns what the evaluator selects, in its order, for filters from the grammar", async () => {
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => validFilter(runIds())), orderByArbitrary, fc.constantFrom(...viewTypes), async ({ text, clauses }, orderBy, viewType) => {
        if (!parsesOrRefuses(text)) {
          await expect(searchRunIds(tdb.db, searchInput({ filter: text, orderBy, viewType }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "filter" });
          return;
        }
        parsed++;
        expect(parseRunFilter(text)).toEqual(clauses);
        const result = await searchRunIds(tdb.db, searchInput({ filter: text, orderBy, viewType }));
        expect(result.runIds).toEqual(expectedIds(text, orderBy, viewType));
        expect(result.nextPageToken).toBeNull();
      }),
      { seed: 20260101, numRuns: 150 },
    );
    // The generator is meant to produce valid filters; only LIKE patterns ending in "\" are refused.
    expect(parsed).toBeGreaterThan(120);
  });

  it("agrees with the parser on garbage: either the evaluator's answer or INVALID_INPUT", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => garbageFilter(runIds())), orderByArbitrary, async (filter, orderBy) => {
        const search = searchRunIds(tdb.db, searchInput({ filter, orderBy }));
        if (parsesOrRefuses(filter)) expect((await search).runIds).toEqual(expectedIds(filter, orderBy, "ACTIVE_ONLY"));
        else await expect(search).rejects.toMatchObject({ code: "INVALID_INPUT", field: "filter" });
      }),
      { seed: 20260102, numRuns: 80 },
    );
  });

  it("walks pages of 7 through every match exactly once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => validFilter(runIds())), orderByArbitrary, fc.constantFrom(...viewTypes), async ({ text }, orderBy, viewType) => {
        if (!parsesOrRefuses(text)) return;
        const pages = await walkPages(searchInput({ filter: text, orderBy, viewType, maxResults: 7 }));
        const expected = expectedIds(text, orderBy, viewType);
        expect(pages.flat()).toEqual(expected);
        expect(pages.every((page) => page.length <= 7)).toBe(true);
        expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / 7)));
      }),
      { seed: 20260103, numRuns: 40 },
    );
  });
});

describe("searchRunIds", () => {
  it("pages through all active runs ordered by a metric with NaN and missing values last", async () => {
    for (const orderBy of [["metrics.m1 DESC"], ["metrics.m1"], ["params.a", "tags.t1 DESC"], []]) {
      const pages = await walkPages(searchInput({ orderBy, maxResults: 7 }));
      expect(pages.flat()).toEqual(expectedIds("", orderBy, "ACTIVE_ONLY"));
      expect(pages.flat().length).toBe(seeded.runs.filter((run) => run.lifecycleStage === "active").length);
    }
  });

  it("never returns another org's runs or runs of experiments not asked for", async () => {
    const [foreign, unsearched] = seeded.outsiders.experimentIds;
    const [foreignRun, unsearchedRun] = seeded.outsiders.runIds;
    const all = await searchRunIds(tdb.db, searchInput({ viewType: "ALL", experimentIds: [...seeded.experimentIds, foreign ?? ""] }));
    expect(all.runIds).toHaveLength(seeded.runs.length);
    expect(all.runIds).not.toContain(foreignRun);
    expect(all.runIds).not.toContain(unsearchedRun);
    expect(await searchRunIds(tdb.db, searchInput({ experimentIds: [foreign ?? ""] }))).toEqual({ runIds: [], nextPageToken: null });
    expect((await searchRunIds(tdb.db, searchInput({ experimentIds: [unsearched ?? ""] }))).runIds).toEqual([unsearchedRun]);
  });

  it("ignores experiment ids that are not uuids", async () => {
    expect(await searchRunIds(tdb.db, searchInput({ experimentIds: ["0", "abc", ""] }))).toEqual({ runIds: [], nextPageToken: null });
  });

  it.each([
    ["not base64", "!!!"],
    ["not JSON", Buffer.from("{nope").toString("base64url")],
    ["the wrong shape", Buffer.from(JSON.stringify({ o: "x" })).toString("base64url")],
    ["a forged value", Buffer.from(JSON.stringify({ o: "x", k: ["1'; drop table runs; --", "x"] })).toString("base64url")],
  ])("refuses a page token that is %s", async (_label, pageToken) => {
    await expect(searchRunIds(tdb.db, searchInput({ pageToken }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "page_token" });
  });

  it("refuses a page token made for another order_by, or whose values are malformed", async () => {
    const first = await searchRunIds(tdb.db, searchInput({ orderBy: ["metrics.m1"], maxResults: 2 }));
    const pageToken = first.nextPageToken ?? "";
    await expect(searchRunIds(tdb.db, searchInput({ orderBy: ["metrics.m2"], pageToken }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "page_token" });
    const token = JSON.parse(Buffer.from(pageToken, "base64url").toString()) as { o: string; k: (string | null)[] };
    for (const k of [["1x", ...token.k.slice(1)], [token.k[0] ?? null, "99999999999999999999", token.k[2] ?? null], [...token.k.slice(0, 2), "not-a-uuid"]]) {
      const forged = Buffer.from(JSON.stringify({ ...token, k })).toString("base64url");
      await expect(searchRunIds(tdb.db, searchInput({ orderBy: ["metrics.m1"], pageToken: forged }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "page_token" });
    }
  });

  it("refuses max_results outside 1..50000, and bad filters and order_by before querying", async () => {
    for (const maxResults of [0, -1, 1.5, 50_001]) {
      await expect(searchRunIds(tdb.db, searchInput({ maxResults }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "max_results" });
    }
    await expect(searchRunIds(tdb.db, searchInput({ filter: "metrics.a > 1 OR metrics.b > 1" }))).rejects.toThrow(/position 15: unexpected token 'OR'/);
    await expect(searchRunIds(tdb.db, searchInput({ orderBy: ["metrics.a up"] }))).rejects.toMatchObject({ code: "INVALID_INPUT", field: "order_by" });
  });
});
