import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";

import { formErrors } from "./errors";

const failed = (message: string, field: string | null) =>
  new TRPCClientError(message, { result: { error: { message, code: -32600, data: { field } } } } as never);

describe("form errors", () => {
  it("puts a failure next to its field, whether it is named with zod's dots or brackets", () => {
    const zod = formErrors(failed("variants.1.weight: weight must be between 0 and 100", "variants.1.weight"));
    expect(zod.fieldError("variants.1.weight")).toBe("weight must be between 0 and 100");
    expect(zod.fieldError("variants.0.weight")).toBeNull();
    const domain = formErrors(failed("variants[1].model: churn/9 does not exist", "variants[1].model"));
    expect(domain.fieldError("variants.1.model")).toBe("churn/9 does not exist");
    expect(formErrors(failed("name: taken", "name")).fieldError("name")).toBe("taken");
    expect(formErrors(null).fieldError("name")).toBeNull();
  });
});
