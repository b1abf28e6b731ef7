import { describe, expect, it } from "vitest";

import { describeCron } from "./cron";

describe("describeCron", () => {
  it("words the common shapes", () => {
    expect(describeCron("0 3 * * *")).toBe("every day at 03:00");
    expect(describeCron("30 * * * *")).toBe("every hour at :30");
    expect(describeCron("0 6 * * 1")).toBe("Mondays at 06:00");
    expect(describeCron("15 4 1 * *")).toBe("monthly on day 1 at 04:15");
    expect(describeCron("@daily")).toBe("every day at midnight");
  });

  it("leaves anything else to the expression itself", () => {
    expect(describeCron("*/5 * * * *")).toBeNull();
    expect(describeCron("0 3 * 1 *")).toBeNull();
    expect(describeCron("0 3-5 * * *")).toBeNull();
  });
});
