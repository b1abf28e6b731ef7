import { describe, expect, it } from "vitest";

import type { ColumnProfile } from "@gantry/schema";

import { csvField, inputCell, labelCell } from "./production-cells";

const profile = (p: Partial<ColumnProfile>): ColumnProfile => ({ name: "y", type: "categorical", count: 10, missing: 0, ...p });

describe("a logged prediction as dataset cells", () => {
  it("writes inputs as the column's type reads them, refuses what does not fit, leaves missing ones empty", () => {
    expect(inputCell("numeric", 2.5)).toBe("2.5");
    expect(inputCell("numeric", "3e2")).toBe("3e2");
    expect(inputCell("numeric", "abc")).toBeUndefined();
    expect(inputCell("numeric", true)).toBeUndefined();
    expect(inputCell("integer", 3)).toBe("3");
    expect(inputCell("integer", 3.5)).toBeUndefined();
    expect(inputCell("boolean", 1)).toBe("true");
    expect(inputCell("boolean", "no")).toBe("false");
    expect(inputCell("boolean", 2)).toBeUndefined();
    expect(inputCell("datetime", Date.UTC(2026, 0, 2))).toBe("2026-01-02T00:00:00.000Z");
    expect(inputCell("datetime", "2026-01-02")).toBe("2026-01-02");
    expect(inputCell("datetime", "yesterday")).toBeUndefined();
    expect(inputCell("categorical", 7)).toBe("7");
    expect(inputCell("text", { a: 1 })).toBeUndefined();
    expect(inputCell("numeric", null)).toBe("");
    expect(inputCell("numeric", undefined)).toBe("");
  });

  it("writes a label in the target's representation", () => {
    expect(labelCell("boolean", "1", undefined)).toBe("true");
    expect(labelCell("boolean", "No", undefined)).toBe("false");
    expect(labelCell("boolean", "maybe", undefined)).toBeUndefined();
    expect(labelCell("integer", "1", profile({ min: 0, max: 1 }))).toBe("1");
    expect(labelCell("integer", "yes", profile({ min: 0, max: 1 }))).toBe("1");
    expect(labelCell("integer", "yes", profile({ min: 0, max: 5 }))).toBeUndefined();
    expect(labelCell("numeric", "12.50", undefined)).toBe("12.5");
    // A two-class categorical target: its own values as they are, 1/0-style labels as its classes in training's order.
    const churn = profile({ distinct: 2, top: [{ value: "stayed", count: 6 }, { value: "churned", count: 4 }] });
    expect(labelCell("categorical", "stayed", churn)).toBe("stayed");
    expect(labelCell("categorical", "1", churn)).toBe("stayed");
    expect(labelCell("categorical", "false", churn)).toBe("churned");
    expect(labelCell("categorical", "gold", profile({ distinct: 3 }))).toBe("gold");
    expect(labelCell("categorical", "", churn)).toBeUndefined();
  });

  it("quotes a field only when CSV needs it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});
