import Link from "next/link";

import { endpointMonitoringHref } from "./links";

/** The endpoint page's way to its monitoring dashboard. */
export function MonitoringLink({ org, endpoint }: { org: string; endpoint: string }) {
  return (
    <p className="rounded-lg border border-slate-200 bg-white px-5 py-3 text-sm shadow-sm">
      <Link className="font-medium text-brand-600 hover:underline" href={endpointMonitoringHref(org, endpoint)}>
        Monitoring →
      </Link>{" "}
      <span className="text-slate-500">drift of inputs and outputs against the training reference, service health, monitors and their findings.</span>
    </p>
  );
}
