import { describe, expect, it } from "vitest";

import { selectBackend, tf } from "./backend";

describe("selectBackend", () => {
  it("falls back past a missing tfjs-node to a working backend, and computes with it", async () => {
    const choice = await selectBackend();
    expect(["tensorflow", "wasm", "cpu"]).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.name);
    const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    expect(Array.from(await product.data())).toEqual([17, 39]);
  });

  it("uses the cpu backend when asked to, and says why others were skipped", async () => {
    const choice = await selectBackend({ prefer: ["tensorflow", "cpu"] });
    expect(choice.name === "tensorflow" || choice.name === "cpu").toBe(true);
    if (choice.name === "cpu") expect(choice.tried.map((t) => t.name)).toEqual(["tensorflow"]);
  });
});
