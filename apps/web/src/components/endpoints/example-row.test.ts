import { describe, expect, it } from "vitest";

import { exampleBody, parseInstances } from "./example-row";

describe("the try-it console's example and parsing", () => {
  it("builds one plausible row from a signature", () => {
    const body = exampleBody({
      inputs: [
        { name: "tenure", type: "integer" },
        { name: "income", type: "numeric" },
        { name: "plan", type: "categorical", categories: ["basic", "pro"] },
        { name: "active", type: "boolean" },
        { name: "signup", type: "datetime" },
      ],
    });
    expect(JSON.parse(body)).toEqual({ instances: [{ tenure: 1, income: 1.5, plan: "basic", active: true, signup: "2024-01-01" }] });
    expect(JSON.parse(exampleBody(null))).toEqual({ instances: [{}] });
  });

  it("accepts a body, a list of rows or one row, and says what is wrong otherwise", () => {
    expect(parseInstances('{"instances": [{"a": 1}, {"a": 2}]}')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseInstances('[{"a": 1}]')).toEqual([{ a: 1 }]);
    expect(parseInstances('{"a": 1}')).toEqual([{ a: 1 }]);
    expect(() => parseInstances("{")).toThrow(/Not valid JSON/);
    expect(() => parseInstances("[1, 2]")).toThrow(/each an object/);
  });
});
