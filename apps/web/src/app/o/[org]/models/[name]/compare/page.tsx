import { CompareVersionsView } from "~/components/models/compare-view";

export const metadata = { title: "Compare versions" };

export default async function CompareVersionsPage({ params, searchParams }: { params: Promise<{ org: string; name: string }>; searchParams: Promise<{ versions?: string | string[] }> }) {
  const { org, name } = await params;
  const { versions } = await searchParams;
  const numbers = [...new Set((Array.isArray(versions) ? versions.join(",") : (versions ?? "")).split(",").map((s) => Number(s.trim())))].filter((n) => Number.isInteger(n) && n > 0).slice(0, 20);
  return <CompareVersionsView org={org} name={name} versions={numbers} />;
}
