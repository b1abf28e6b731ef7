"use client";

import { useRouter } from "next/navigation";

import type { MyOrg } from "@gantry/schema/org";

export function OrgSwitcher({ current, orgs }: { current: string; orgs: Pick<MyOrg, "slug" | "name" | "role">[] }) {
  const router = useRouter();
  return (
    <div>
      <label htmlFor="org-switcher" className="sr-only">
        Organisation
      </label>
      <select
        id="org-switcher"
        value={current}
        onChange={(e) => router.push(e.target.value === "__new" ? "/onboarding" : `/o/${e.target.value}`)}
        className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-medium shadow-sm"
      >
        {orgs.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name}
          </option>
        ))}
        <option value="__new">+ New organisation…</option>
      </select>
    </div>
  );
}
