import { createApiKey, createOrg, signUp } from "@gantry/api/services";
import type { Database } from "@gantry/db";

/** A user, an org and an all-scope key on a scratch database. */
export async function benchOrg(db: Database) {
  const user = await signUp(db, { email: "bench@example.test", password: "bench password 1", name: "Bench" });
  const actor = { type: "user" as const, userId: user.id, label: user.email };
  const org = await createOrg({ db, actor }, { name: "Bench", slug: "bench" });
  const ctx = { db, orgId: org.id, actor, role: "owner" as const };
  const { secret } = await createApiKey(ctx, { name: "bench", scopes: ["read", "write", "predict", "admin"] });
  return { org, ctx, secret };
}
