import { afterAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "@gantry/db/testing";

import { callerFor } from "../testing";
import { expectError } from "../testing/assertions";
import { verifyCredentials } from "./users";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

const anonymous = () => callerFor(tdb.db, {});
const password = "correct horse 1";

describe("auth.signUp", () => {
  it("creates a user with a lower-cased email and no password in the answer", async () => {
    const user = await anonymous().auth.signUp({ email: "Ada@Example.test", password, name: "Ada" });
    expect(user).toEqual({ id: expect.any(String), email: "ada@example.test", name: "Ada" });
    expect(JSON.stringify(user)).not.toContain(password);
  });

  it("refuses a second account for the same email, whatever its case, naming the email field", async () => {
    await anonymous().auth.signUp({ email: "grace@example.test", password, name: "Grace" });
    const error = await expectError(anonymous().auth.signUp({ email: "GRACE@example.test", password, name: "Other Grace" }), "CONFLICT");
    expect(error.field).toBe("email");
    expect(error.message).toMatch(/already exists/);
  });

  it.each([
    ["too short", "abc1"],
    ["letters only", "onlylettershere"],
  ])("refuses a weak password (%s) with the password rule in words", async (_, weak) => {
    const error = await expectError(anonymous().auth.signUp({ email: `weak-${weak}@example.test`, password: weak, name: "Weak" }), "BAD_REQUEST");
    expect(error.field).toBe("password");
    expect(error.message).toBe("password: Password must have at least 10 characters, with letters and at least one digit or symbol");
  });

  it("refuses a malformed email", async () => {
    const error = await expectError(anonymous().auth.signUp({ email: "not-an-email", password, name: "Nobody" }), "BAD_REQUEST");
    expect(error.field).toBe("email");
    expect(error.message).toMatch(/valid email/);
  });

  it("creates nobody when refused", async () => {
    await expectError(anonymous().auth.signUp({ email: "short@example.test", password: "abc1", name: "Short" }), "BAD_REQUEST");
    expect(await verifyCredentials(tdb.db, { email: "short@example.test", password: "abc1" })).toBeNull();
    // The address is still free.
    await expect(anonymous().auth.signUp({ email: "short@example.test", password, name: "Short" })).resolves.toMatchObject({ email: "short@example.test" });
  });
});

describe("verifyCredentials", () => {
  it("accepts the right password, in any email case", async () => {
    const user = await anonymous().auth.signUp({ email: "linus@example.test", password, name: "Linus" });
    expect(await verifyCredentials(tdb.db, { email: "linus@example.test", password })).toEqual(user);
    expect(await verifyCredentials(tdb.db, { email: "LINUS@example.test", password })).toEqual(user);
  });

  it("rejects a wrong password and an unknown email alike", async () => {
    await anonymous().auth.signUp({ email: "barbara@example.test", password, name: "Barbara" });
    expect(await verifyCredentials(tdb.db, { email: "barbara@example.test", password: "correct horse 2" })).toBeNull();
    expect(await verifyCredentials(tdb.db, { email: "nobody@example.test", password })).toBeNull();
    expect(await verifyCredentials(tdb.db, { email: "not-an-email", password })).toBeNull();
  });
});
