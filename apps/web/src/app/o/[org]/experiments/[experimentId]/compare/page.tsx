import { CompareView } from "~/components/tracking/compare/compare-view";

export const metadata = { title: "Compare runs" };

export default async function ComparePage({ params, searchParams }: { params: Promise<{ org: string; experimentId: string }>; searchParams: Promise<{ runs?: string | string[] }> }) {
  const { org, experimentId } = await params;
  const { runs } = await searchParams;
  const runIds = [...new Set((Array.isArray(runs) ? runs.join(",") : (runs ?? "")).split(",").map((s) => s.trim()).filter(Boolean))].slice(0, 20);
  return <CompareView org={org} experimentId={experimentId} runIds={runIds} />;
}
