import { ModelView } from "~/components/models/model-view";

export const metadata = { title: "Model" };

export default async function ModelPage({ params }: { params: Promise<{ org: string; name: string }> }) {
  const { org, name } = await params;
  return <ModelView org={org} name={name} />;
}
