import { notFound } from "next/navigation";

import { VersionView } from "~/components/datasets/version-view";

export const metadata = { title: "Dataset version" };

export default async function DatasetVersionPage({ params }: { params: Promise<{ org: string; name: string; version: string }> }) {
  const { org, name, version } = await params;
  if (version !== "latest" && !/^[1-9]\d{0,8}$/.test(version)) notFound();
  return <VersionView org={org} name={name} version={version === "latest" ? "latest" : Number(version)} />;
}
