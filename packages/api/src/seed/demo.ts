import { randomBytes } from "node:crypto";

import type { Database } from "@gantry/db";
import { count, eq } from "@gantry/db";
import { orgs, users } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";

import { createApiKey } from "../services/api-keys";
import { createOrg } from "../services/orgs";
import { signUp } from "../services/users";
import { seedTrackingDemo } from "./tracking";
import { seedTrainingDemo } from "./training";

/**
 * Later parts of the demo are added to an existing demo org too, so a database seeded by an
 * older version catches up on restart.
 */
async function extendDemo(db: Database, artifacts?: ArtifactStore) {
  const [demo] = await db
    .select({ orgId: orgs.id, userId: users.id, email: users.email })
    .from(orgs)
    .innerJoin(users, eq(users.email, DEMO_EMAIL))
    .where(eq(orgs.slug, DEMO_ORG));
  if (!demo) return;
  const ctx = { db, orgId: demo.orgId, actor: { type: "user" as const, userId: demo.userId, label: demo.email }, role: "owner" as const };
  await seedTrackingDemo(ctx, artifacts);
  if (artifacts) await seedTrainingDemo(ctx, artifacts);
}

export const DEMO_EMAIL = "demo@gantry.local";
export const DEMO_ORG = "demo";

export type DemoSeed = { email: string; password: string; org: string; apiKey: string };

/**
 * On an empty database: the demo user (with a generated password), org `demo`, and an API key
 * with every scope. Returns null when the database already has users (a restart keeps data).
 */
export async function seedDemo(db: Database, options: { artifacts?: ArtifactStore } = {}): Promise<DemoSeed | null> {
  const [row] = await db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) {
    await extendDemo(db, options.artifacts);
    return null;
  }
  const password = `demo-${randomBytes(9).toString("base64url")}`;
  const user = await signUp(db, { email: DEMO_EMAIL, password, name: "Demo User" });
  const actor = { type: "user" as const, userId: user.id, label: user.email };
  const org = await createOrg({ db, actor }, { name: "Demo", slug: DEMO_ORG });
  const { secret } = await createApiKey({ db, orgId: org.id, actor, role: "owner" }, { name: "demo (all scopes)", scopes: ["read", "write", "predict", "admin"] });
  await seedTrackingDemo({ db, orgId: org.id, actor, role: "owner" }, options.artifacts);
  if (options.artifacts) await seedTrainingDemo({ db, orgId: org.id, actor, role: "owner" }, options.artifacts);
  return { email: DEMO_EMAIL, password, org: org.slug, apiKey: secret };
}
