import { ApiKeysCard } from "~/components/org/api-keys-card";
import { PageHeader } from "~/components/ui/card";

export const metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API keys" description="For the CLI, the typed client, MLflow clients (as MLFLOW_TRACKING_TOKEN) and model endpoints: send Authorization: Bearer <key>." />
      <ApiKeysCard />
    </>
  );
}
