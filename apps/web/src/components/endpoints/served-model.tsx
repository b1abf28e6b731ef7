import Link from "next/link";

import type { Endpoint } from "@gantry/schema/serving-contracts";

import { Badge } from "~/components/ui/card";

import { modelVersionHref } from "../models/links";

export const endpointStatusTone = { active: "green", paused: "amber" } as const;

/** What an endpoint serves: `model vN`, linked to the version, with the alias it was resolved from. */
export function ServedModel({ org, endpoint }: { org: string; endpoint: Pick<Endpoint, "model" | "version" | "via"> }) {
  if (!endpoint.model || endpoint.version === null) return <span className="text-slate-500">nothing deployed</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Link className="text-brand-600 hover:underline" href={modelVersionHref(org, endpoint.model, endpoint.version)}>
        {endpoint.model} v{endpoint.version}
      </Link>
      {endpoint.via ? <Badge tone="blue">@{endpoint.via}</Badge> : null}
    </span>
  );
}
