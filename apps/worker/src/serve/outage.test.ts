import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TcpProxy } from "@gantry/api/testing";
import { startTcpProxy, until } from "@gantry/api/testing";
import { createDatabase, sql } from "@gantry/db";
import { createTestDatabase } from "@gantry/db/testing";

import type { ServeFixture } from "./testing";
import { createServeFixture, startTestServer } from "./testing";

/*
 * The database goes away for 10 s under load: loaded models keep answering (deployments, keys and
 * models are cached), the prediction log holds its rows, and writes every one of them, once,
 * when the database is back. The server reaches the database only through a TCP proxy we cut.
 */

const tdb = await createTestDatabase();
let f: ServeFixture;
let proxy: TcpProxy;
let serveDb: ReturnType<typeof createDatabase>;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  f = await createServeFixture(tdb.db, "outage");
  proxy = await startTcpProxy(tdb.url);
  serveDb = createDatabase({ url: proxy.url, max: 4 });
  // A buffer that holds the whole outage: this test's loops send faster than production traffic per process.
  server = await startTestServer(serveDb.db, f.store, { url: proxy.url, keyTtlMs: 100, logMaxRows: 2_000_000 });
}, 120_000);
afterAll(async () => {
  await server?.close(2_000);
  await serveDb?.close();
  await proxy?.close();
  await tdb.drop();
});

const count = async () => {
  const [row] = (await tdb.db.execute(sql`select count(*)::int as n from prediction_log`)) as unknown as { n: number }[];
  return row?.n ?? 0;
};

describe("a database outage under load", () => {
  it("keeps answering from cache and loses no prediction log row", async () => {
    const rows = f.rows(f.trained[0]).slice(0, 4);
    const statuses: number[] = [];
    let served = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const response = await fetch(`${server.base}/orgs/${f.org.slug}/v1/models/scorer-api:predict`, {
          method: "POST",
          headers: { authorization: `Bearer ${f.org.keys.predict.secret}`, "content-type": "application/json" },
          body: JSON.stringify({ instances: rows }),
        });
        statuses.push(response.status);
        await response.arrayBuffer();
        if (response.status === 200) served += rows.length;
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    await until(async () => statuses.length, (n) => n > 50, "warm-up requests");

    proxy.cut();
    const cutAt = statuses.length;
    let pendingPeak = 0;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      pendingPeak = Math.max(pendingPeak, server.state.predictionLog.pending());
      await new Promise((r) => setTimeout(r, 100));
    }
    const duringOutage = statuses.length - cutAt;
    proxy.restore();
    await until(async () => statuses.length, (n) => n > cutAt + duringOutage + 50, "requests after the outage");
    stop = true;
    await Promise.all(loops);

    expect(duringOutage).toBeGreaterThan(50);
    expect(pendingPeak).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await until(count, (n) => n >= served, `all ${served} logged rows`);
    expect(await count()).toBe(served);
  }, 120_000);

  it("with the log buffer full, answers 429 with Retry-After and never a 200 whose log row would be dropped", async () => {
    const small = await startTestServer(serveDb.db, f.store, { url: proxy.url, logMaxRows: 40 });
    try {
      const rows = f.rows(f.trained[0]).slice(0, 1);
      const send = () =>
        fetch(`${small.base}/orgs/${f.org.slug}/v1/models/scorer-api:predict`, { method: "POST", headers: { authorization: `Bearer ${f.org.keys.predict.secret}` }, body: JSON.stringify({ instances: rows }) });
      // Warm: the key is checked and cached before the database goes away.
      expect((await send()).status).toBe(200);
      await small.state.predictionLog.flush();
      const before = await count();
      proxy.cut();
      const answers = await Promise.all(
        Array.from({ length: 120 }, async () => {
          const r = await send();
          await r.arrayBuffer();
          return { status: r.status, retryAfter: r.headers.get("retry-after") };
        }),
      );
      const ok = answers.filter((a) => a.status === 200).length;
      expect(ok).toBeLessThanOrEqual(40);
      expect(answers.filter((a) => a.status === 429).every((a) => a.retryAfter === "1")).toBe(true);
      expect(ok + answers.filter((a) => a.status === 429).length).toBe(120);
      proxy.restore();
      await until(count, (n) => n >= before + ok, `the ${ok} answered rows`);
      await small.state.predictionLog.flush();
      expect(await count()).toBe(before + ok);
    } finally {
      proxy.restore();
      await small.close(5_000);
    }
  }, 120_000);
});
