import { describe, expect, it } from "vitest";

import { assignVariant, bucketOf, fnv1a32, pickByWeight } from "./assignment";

describe("sticky assignment", () => {
  it("hashes with 32-bit FNV-1a (test vectors of draft-eastlake-fnv: '' → 0x811c9dc5, 'a' → 0xe40c292c, 'foobar' → 0xbf9cf968)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    // python3: h=0x811c9dc5; for c in s: h=((h^ord(c))*0x01000193)&0xffffffff — for "exp1user-42", then again over str(h): 0.2066
    expect(bucketOf("exp1", "user-42")).toBe(0.2066);
  });

  it("splits 10,000 unit ids 90/10 within the binomial tolerance, the same variant on every request", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const first = ids.map((id) => assignVariant([90, 10], "test-a", id));
    const treated = first.filter((v) => v === 1).length;
    // Binomial(10,000, 0.1): sd = 30; 4 sd either side fails by chance about once in 16,000 runs (and the hash is fixed, so never flakes).
    expect(Math.abs(treated - 1_000)).toBeLessThan(4 * 30);
    for (let round = 0; round < 3; round++) expect(ids.map((id) => assignVariant([90, 10], "test-a", id))).toEqual(first);
  });

  it("two tests with different salts assign independently", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const a = ids.map((id) => assignVariant([50, 50], "test-a", id));
    const b = ids.map((id) => assignVariant([50, 50], "test-b", id));
    // Independent halves: both-in-1 is Binomial(10,000, 0.25), sd ≈ 43.
    const both = a.filter((v, i) => v === 1 && b[i] === 1).length;
    expect(Math.abs(both - 2_500)).toBeLessThan(4 * 43);
    // The same salt is the same split.
    expect(ids.map((id) => assignVariant([50, 50], "test-a", id))).toEqual(a);
  });

  it("picks by cumulative weight, whatever their scale, never a zero-weight variant", () => {
    expect(pickByWeight([90, 10], 0)).toBe(0);
    expect(pickByWeight([90, 10], 0.8999)).toBe(0);
    expect(pickByWeight([90, 10], 0.9)).toBe(1);
    expect(pickByWeight([0.2, 0.3, 0.5], 0.45)).toBe(1);
    expect(pickByWeight([100, 0], 0.99999)).toBe(0);
    expect(pickByWeight([50, 50, 0], 0.9999999999)).toBe(1);
  });
});
