import { describe, expect, it } from "vitest";

import type { ColumnTypeOverrides } from "@gantry/schema";
import { GantryError } from "@gantry/schema";

import { CsvFeed } from "./csv";
import { CsvProfiler } from "./profiler";
import { isMissing, parseDatetime, toCell } from "./values";

/** Profiles a CSV given as text, fed in small chunks so records straddle chunk boundaries. */
async function profile(csv: string, overrides: ColumnTypeOverrides = {}, chunkSize = 7) {
  const profiler = new CsvProfiler(overrides);
  const feed = new CsvFeed((fields) => profiler.onRecord(fields));
  const bytes = Buffer.from(csv);
  for (let i = 0; i < bytes.length; i += chunkSize) feed.write(bytes.subarray(i, i + chunkSize));
  await feed.end();
  return profiler.finish();
}

async function failure(csv: string, overrides: ColumnTypeOverrides = {}): Promise<GantryError> {
  const error = await profile(csv, overrides).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  return error as GantryError;
}

const SMALL = [
  "id,price,flag,when,color,note",
  "1,10.5,true,2024-01-01,red,hello world",
  "2,20,false,2024-01-02,blue,foo",
  "3,NA,yes,2024-01-03T12:00:00Z,red,bar baz",
  '4,30.25,no,,green,"qux, quoted"',
  "5,40,TRUE,2024-01-05,red,",
].join("\n");

describe("type inference", () => {
  it("infers integer, numeric, boolean, datetime and categorical columns", async () => {
    const { columns } = await profile(SMALL);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "integer"],
      ["price", "numeric"],
      ["flag", "boolean"],
      ["when", "datetime"],
      ["color", "categorical"],
      ["note", "categorical"],
    ]);
    expect(columns.every((c) => c.inferredType === c.type)).toBe(true);
  });

  it("keeps 0/1 as integer, and reads yes/no/true/false in any case as boolean", async () => {
    const { columns } = await profile("a,b\n0,Yes\n1,NO\n1,true\n0,False\n");
    expect(columns.map((c) => c.type)).toEqual(["integer", "boolean"]);
  });

  it("is text past 50 distinct values, unless they are at most 5% of the rows", async () => {
    const unique = ["s", ...Array.from({ length: 60 }, (_, i) => `value ${i}`)].join("\n");
    expect((await profile(unique)).columns[0]?.type).toBe("text");
    const repeated = ["s", ...Array.from({ length: 2000 }, (_, i) => `value ${i % 60}`)].join("\n");
    expect((await profile(repeated)).columns[0]?.type).toBe("categorical");
    const tooMany = ["s", ...Array.from({ length: 2000 }, (_, i) => `value ${i % 120}`)].join("\n");
    expect((await profile(tooMany)).columns[0]?.type).toBe("text");
  });

  it("treats empty, NA, N/A, NaN, null and None as missing, and an all-missing column as text", async () => {
    for (const raw of ["", "  ", "NA", "na", "N/A", "NaN", "nan", "null", "NULL", "None"]) expect(isMissing(raw), raw).toBe(true);
    for (const raw of ["0", "n", "Nope", "nullable"]) expect(isMissing(raw), raw).toBe(false);
    const { columns, profile: p } = await profile("a,b\n1,NA\n2,\n3,None\n");
    expect(columns[1]?.type).toBe("text");
    expect(p.columns[1]).toMatchObject({ count: 0, missing: 3 });
  });

  it("reads ISO 8601 dates as UTC epoch ms and refuses impossible dates", async () => {
    expect(parseDatetime("2024-03-01")).toBe(Date.UTC(2024, 2, 1));
    expect(parseDatetime("2024-03-01T12:30")).toBe(Date.UTC(2024, 2, 1, 12, 30));
    expect(parseDatetime("2024-03-01 12:30:05.250+02:00")).toBe(Date.UTC(2024, 2, 1, 10, 30, 5, 250));
    expect(parseDatetime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ["2023-02-29", "2024-13-01", "2024-01-01T25:00", "01/02/2024", "2024-1-1"]) expect(parseDatetime(bad), bad).toBeUndefined();
    const { columns } = await profile("d\n2024-01-01\n2024-02-30\n");
    expect(columns[0]?.type).toBe("categorical");
  });

  it("mixes of integers and decimals are numeric; a word among numbers makes the column a string column", async () => {
    const { columns } = await profile("a,b\n1,1\n2.5,x\n-3e2,3\n");
    expect(columns.map((c) => c.type)).toEqual(["numeric", "categorical"]);
  });

  it("types cells for the reader: numbers, booleans, epoch ms, strings, null", () => {
    expect(toCell("integer", " 7 ")).toBe(7);
    expect(toCell("numeric", "2.5e1")).toBe(25);
    expect(toCell("boolean", "No")).toBe(false);
    expect(toCell("boolean", "1")).toBe(true);
    expect(toCell("datetime", "2024-01-02")).toBe(Date.UTC(2024, 0, 2));
    expect(toCell("categorical", "red")).toBe("red");
    expect(toCell("text", "NA")).toBeNull();
  });
});

describe("profile", () => {
  it("matches hand-computed figures on a small file", async () => {
    const { profile: p } = await profile(SMALL);
    expect(p.rowCount).toBe(5);
    const [id, price, flag, when, color, note] = p.columns;

    expect(id).toMatchObject({ type: "integer", count: 5, missing: 0, distinct: 5, min: 1, max: 5, mean: 3 });
    expect(id?.std).toBeCloseTo(Math.sqrt(2.5), 12);
    // One bin per integer when the range is small.
    expect(id?.histogram).toEqual({ edges: [1, 2, 3, 4, 5, 6], counts: [1, 1, 1, 1, 1] });
    expect(id?.quantiles).toMatchObject({ p25: 2, p50: 3, p75: 4 });

    // price: 10.5, 20, 30.25, 40 (NA missing). Mean 25.1875, sample std 12.7497957…
    expect(price).toMatchObject({ type: "numeric", count: 4, missing: 1, distinct: 4, min: 10.5, max: 40, mean: 25.1875 });
    expect(price?.std).toBeCloseTo(12.749795749997984, 10);
    // Linear interpolation between order statistics (numpy's default): p25 = 10.5 + 0.75·9.5.
    expect(price?.quantiles).toMatchObject({ p25: 17.625, p50: 25.125, p75: 32.6875 });
    expect(price?.quantiles?.p01).toBeCloseTo(10.785, 10);
    expect(price?.histogram?.edges).toHaveLength(21);
    expect(price?.histogram?.edges[0]).toBe(10.5);
    expect(price?.histogram?.edges[20]).toBe(40);
    const priceCounts = new Array<number>(20).fill(0);
    // Width 1.475: 10.5 → bin 0, 20 → bin 6, 30.25 → bin 13, 40 → the last bin (closed).
    for (const bin of [0, 6, 13, 19]) priceCounts[bin] = 1;
    expect(price?.histogram?.counts).toEqual(priceCounts);

    expect(flag).toMatchObject({ type: "boolean", count: 5, missing: 0, distinct: 2, top: [{ value: "true", count: 3 }, { value: "false", count: 2 }] });

    const days = [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3, 12), Date.UTC(2024, 0, 5)];
    expect(when).toMatchObject({ type: "datetime", count: 4, missing: 1, min: days[0], max: days[3], mean: days.reduce((a, b) => a + b) / 4 });

    expect(color).toMatchObject({ type: "categorical", count: 5, missing: 0, distinct: 3 });
    expect(color?.top).toEqual([
      { value: "red", count: 3 },
      { value: "blue", count: 1 },
      { value: "green", count: 1 },
    ]);
    expect(note).toMatchObject({ count: 4, missing: 1, distinct: 4 });
    expect(note?.top?.map((t) => t.value)).toContain("qux, quoted");
    expect(color?.min).toBeUndefined();
  });

  it("approximates quantiles past 10,000 values and caps the distinct count", async () => {
    const n = 30_000;
    const rows = Array.from({ length: n }, (_, i) => `${i},id-${i}`);
    const { profile: p } = await profile(["x,s", ...rows].join("\n"), {}, 64 * 1024);
    const [x, s] = p.columns;
    expect(x).toMatchObject({ type: "integer", count: n, min: 0, max: n - 1, mean: (n - 1) / 2 });
    expect(x?.quantiles?.p50).toBeGreaterThan(n * 0.49);
    expect(x?.quantiles?.p50).toBeLessThan(n * 0.51);
    expect(x?.quantiles?.p99).toBeGreaterThan(n * 0.98);
    const counts = x?.histogram?.counts ?? [];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    for (const c of counts) expect(Math.abs(c - n / 20)).toBeLessThan(n / 20 / 10);
    expect(x).toMatchObject({ distinct: 10_000, distinctCapped: true });
    expect(s).toMatchObject({ type: "text", distinctCapped: true });
  });
});

describe("overrides", () => {
  it("sets the type and keeps the inferred one", async () => {
    const { columns, profile: p } = await profile(SMALL, { id: "categorical", flag: "text" });
    expect(columns[0]).toEqual({ name: "id", type: "categorical", inferredType: "integer" });
    expect(columns[2]).toEqual({ name: "flag", type: "text", inferredType: "boolean" });
    expect(p.columns[0]).toMatchObject({ type: "categorical", distinct: 5 });
    expect(p.columns[0]?.top).toHaveLength(5);
    expect(p.columns[0]?.mean).toBeUndefined();
  });

  it("reads 1/0 as booleans when a column is set to boolean", async () => {
    const { columns, profile: p } = await profile("a\n1\n0\n1\n", { a: "boolean" });
    expect(columns[0]).toEqual({ name: "a", type: "boolean", inferredType: "integer" });
    expect(p.columns[0]?.top).toEqual([
      { value: "true", count: 2 },
      { value: "false", count: 1 },
    ]);
  });

  it("refuses a value that does not fit, naming the column, row and value", async () => {
    const error = await failure("a,b\n1,2\n2,abc\n", { b: "numeric" });
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "columnTypes.b" });
    expect(error.message).toBe("Column 'b' is set to numeric, but row 2 has 'abc', which is not a number");
    expect((await failure(SMALL, { price: "integer" })).message).toMatch(/Column 'price' is set to integer, but row 1 has '10.5'/);
  });

  it("refuses an override of a column the file does not have", async () => {
    const error = await failure(SMALL, { colour: "text" });
    expect(error).toMatchObject({ field: "columnTypes.colour" });
    expect(error.message).toMatch(/'colour', which is not a column of the file/);
  });
});

describe("bad files", () => {
  it.each([
    ["an empty file", "", /The file is empty/],
    ["blank lines only", "\n\n", /The file is empty/],
    ["a header only", "a,b,c\n", /header but no data rows \(0 rows\)/],
    ["a short row", "a,b,c\n1,2,3\n4,5\n", /^Row 2 has 2 fields; the header has 3$/],
    ["a long row", "a,b\n1,2\n3,4\n5,6,7\n", /^Row 3 has 3 fields; the header has 2$/],
    ["a duplicate column name", "a,b,a\n1,2,3\n", /Column name 'a' appears twice in the header \(columns 1 and 3\)/],
    ["an empty column name", "a,,c\n1,2,3\n", /Column 2 of the header has an empty name/],
    ["an unclosed quote", 'a,b\n1,"oops\n', /not valid CSV/],
  ])("refuses %s with a clear message", async (_label, csv, message) => {
    const error = await failure(csv);
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "file" });
    expect(error.message).toMatch(message);
  });

  it("accepts a BOM, CRLF line ends, quoted newlines and skips blank lines", async () => {
    const { columns, profile: p } = await profile('\uFEFFa,b\r\n1,"two\r\nlines"\r\n\r\n2,x\r\n');
    expect(columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(p.rowCount).toBe(2);
  });
});
