/**
 * Authenticated API overhead: GET /api/v1/whoami with an API key (key lookup, hash check, creator
 * lookup, JSON) through our handler, against two limits measured in the same run: a bare
 * node:http server doing the same two lookups in raw SQL (the ratio is our code's overhead), and
 * one answering the same JSON from memory (the HTTP ceiling of this machine).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { createApiKey } from "@gantry/api/services";
import { createOrg, signUp } from "@gantry/api/services";
import { startApiServer } from "@gantry/api/testing/http-server";

import { scratchDatabase } from "./lib/database";
import { formatLoad, load } from "./lib/load";

export async function benchAuth(seconds: number) {
  const db = await scratchDatabase();
  try {
    const user = await signUp(db.db, { email: "bench@example.test", password: "bench password 1", name: "Bench" });
    const actor = { type: "user" as const, userId: user.id, label: user.email };
    const org = await createOrg({ db: db.db, actor }, { name: "Bench", slug: "bench" });
    const { secret } = await createApiKey({ db: db.db, orgId: org.id, actor, role: "owner" }, { name: "bench", scopes: ["read"] });

    const api = await startApiServer(db.db, db.sql);
    const body = JSON.stringify(await (await fetch(`${api.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } })).json());
    const prefix = secret.slice(0, 16);
    const serve = (handler: () => Promise<string>) =>
      createServer((_req, res) => {
        void handler().then((json) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(json);
        });
      });
    const rawSql = serve(async () => {
      const [k] = await db.sql`select k.hash, k.created_by, o.slug from api_keys k join orgs o on o.id = k.org_id where k.prefix = ${prefix}`;
      await db.sql`select id, email, name from users where id = ${k?.created_by as string}`;
      return body;
    });
    const staticJson = serve(async () => body);
    const listen = async (server: ReturnType<typeof createServer>) => {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    };

    const ceiling = await load("bare node:http, JSON from memory", { url: await listen(staticJson), seconds });
    const limit = await load("bare node:http, same 2 raw queries", { url: await listen(rawSql), seconds });
    const ours = await load("GET /api/v1/whoami (API key)", { url: `${api.url}/api/v1/whoami`, headers: { authorization: `Bearer ${secret}` }, seconds });
    await api.close();
    for (const s of [rawSql, staticJson]) {
      s.closeAllConnections();
      s.close();
    }

    console.log("\n## auth: API-key-authenticated request vs bare servers (c=32)");
    console.log(formatLoad(ceiling));
    console.log(formatLoad(limit));
    console.log(formatLoad(ours));
    console.log(`ratio: ${((ours.rps / limit.rps) * 100).toFixed(1)}% of the raw-SQL server's throughput (p99 ${ours.p99} vs ${limit.p99} ms)`);
    if (ours.errors > 0) throw new Error(`${ours.errors} failed requests under load`);
  } finally {
    await db.dispose();
  }
}
