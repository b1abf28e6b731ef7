import type { Database } from "@gantry/db";
import type { Role, Scope } from "@gantry/schema";

import type { ArtifactStore } from "../artifacts";
import type { ServingConfig } from "../serving/try-it";
import { appRouter } from "../root";
import { createApiKey } from "../services/api-keys";
import { createExperiment } from "../tracking/experiments";
import { logBatch } from "../tracking/logging";
import { createRun } from "../tracking/runs";
import { createInvitation } from "../services/invitations";
import { createOrg } from "../services/orgs";
import { signUp } from "../services/users";
import { createCallerFactory, createContext } from "../trpc";
import { memberships } from "@gantry/schema";

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export type CallerOptions = { userId?: string; apiKey?: string; orgSlug?: string | null; artifactStore?: ArtifactStore; serving?: ServingConfig };

/** A tRPC caller as the portal (session user + org header) or a key would be. */
export const callerFor = (db: Database, options: CallerOptions): Caller =>
  createCaller(
    createContext({
      db,
      sessionUserId: options.userId ?? null,
      authorization: options.apiKey ? `Bearer ${options.apiKey}` : null,
      orgSlug: options.orgSlug ?? null,
      artifactStore: options.artifactStore,
      serving: options.serving,
    }),
  );

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createUser(db: Database, label = "user") {
  const email = `${label}-${unique()}@example.test`;
  return signUp(db, { email, password: "correct horse 1", name: label });
}

export type OrgFixture = Awaited<ReturnType<typeof createOrgFixture>>;

/**
 * An org with one user per role, an invitation and keys: what cross-org and role tests aim at.
 * `secrets` are strings that must never appear in another org's answers.
 */
export async function createOrgFixture(db: Database, slug: string) {
  const owner = await createUser(db, `${slug}-owner`);
  const org = await createOrg({ db, actor: { type: "user", userId: owner.id, label: owner.email } }, { name: `Org ${slug}`, slug });
  const users = { owner } as Record<Role, Awaited<ReturnType<typeof createUser>>>;
  for (const role of ["admin", "member", "viewer"] as const) {
    users[role] = await createUser(db, `${slug}-${role}`);
    await db.insert(memberships).values({ orgId: org.id, userId: users[role].id, role });
  }
  const svc = { db, orgId: org.id, actor: { type: "user" as const, userId: owner.id, label: owner.email }, role: "owner" as const };
  const key = async (scopes: Scope[]) => createApiKey(svc, { name: `${scopes.join("+")} key`, scopes });
  const keys = { all: await key(["read", "write", "predict", "admin"]), read: await key(["read"]), predict: await key(["predict"]) };
  const invitation = await createInvitation(svc, { role: "member" });
  const experiment = await createExperiment(svc, { name: `experiment of ${slug}` });
  const run = await createRun(svc, { experimentId: experiment.id, name: `run of ${slug}` });
  await logBatch(svc, run.info.id, { metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }], params: [{ key: "lr", value: "0.1" }], tags: [{ key: "team", value: slug }] });
  const as = (role: Role) => callerFor(db, { userId: users[role].id, orgSlug: slug });
  const withKey = (k: keyof typeof keys) => callerFor(db, { apiKey: keys[k].secret });
  return {
    org,
    slug,
    users,
    keys,
    invitation,
    experiment,
    run,
    as,
    withKey,
    secrets: [org.id, ...Object.values(users).map((u) => u.email), ...Object.values(keys).map((k) => k.key.prefix), invitation.invitation.id, experiment.id, run.info.id, experiment.name],
  };
}
