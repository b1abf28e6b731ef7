import { afterAll, describe, expect, it } from "vitest";

import { createTestDatabase } from "./testing";
import { migrationStatus } from "./migration-status";

const tdb = await createTestDatabase();
afterAll(() => tdb.drop());

describe("test database", () => {
  it("is a real PostgreSQL with every migration applied", async () => {
    const [row] = await tdb.sql<{ version: string }[]>`select current_setting('server_version') as version`;
    expect(Number(row?.version.split(".")[0])).toBeGreaterThanOrEqual(15);
    const status = await migrationStatus(tdb.sql);
    expect(status).toMatchObject({ current: true });
    expect(status.applied).toBeGreaterThan(0);
  });
});
