import { redirect } from "next/navigation";

import { myOrgs, requireUser } from "~/server/session";

export default async function Home() {
  const user = await requireUser("/");
  const orgs = await myOrgs(user.id);
  redirect(orgs[0] ? `/o/${orgs[0].slug}` : "/onboarding");
}
