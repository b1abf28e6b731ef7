import { notFound } from "next/navigation";

import { areas } from "~/components/shell/areas";
import { Card, PageHeader } from "~/components/ui/card";

export default async function AreaPage({ params }: { params: Promise<{ area: string }> }) {
  const { area: slug } = await params;
  const area = areas.find((a) => a.slug === slug);
  if (!area) notFound();
  return (
    <>
      <PageHeader title={area.label} description={area.blurb} />
      <Card>
        <p className="text-sm text-slate-600">This area is not built yet. Members, API keys and the audit log are live under Organisation.</p>
      </Card>
    </>
  );
}
