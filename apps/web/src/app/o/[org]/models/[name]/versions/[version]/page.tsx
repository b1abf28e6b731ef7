import { notFound } from "next/navigation";

import { ModelVersionView } from "~/components/models/version-view";

export const metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ org: string; name: string; version: string }> }) {
  const { org, name, version } = await params;
  if (!/^[1-9]\d{0,8}$/.test(version)) notFound();
  return <ModelVersionView org={org} name={name} version={Number(version)} />;
}
