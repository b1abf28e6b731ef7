"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { EndpointDetail } from "@gantry/schema/serving-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { SelectField, TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/** `alias:<name>` or `version:<n>`: one select for both ways of naming what to deploy. */
type Choice = `alias:${string}` | `version:${number}`;

const targetOf = (model: string, choice: Choice) =>
  choice.startsWith("alias:") ? { model, alias: choice.slice("alias:".length) } : { model, version: Number(choice.slice("version:".length)) };

/** Deploys a registered model version (named directly or through an alias, resolved and pinned now) as a new revision. */
export function DeployForm({ endpoint }: { endpoint: EndpointDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.model.list.queryOptions());
  const [picked, setPicked] = useState("");
  const model = picked || endpoint.model || models.data?.[0]?.name || "";
  const versions = useQuery({ ...trpc.model.versions.queryOptions({ name: model }), enabled: Boolean(model) });
  const [choice, setChoice] = useState<Choice | "">("");
  const [reason, setReason] = useState("");
  const deploy = useMutation(
    trpc.endpoint.deploy.mutationOptions({
      onSuccess: async () => {
        setReason("");
        await queryClient.invalidateQueries(trpc.endpoint.pathFilter());
      },
    }),
  );
  const { failure, fieldError } = formErrors(deploy.error);
  const registered = models.data?.find((m) => m.name === model);
  const pickable = (versions.data ?? []).filter((v) => !v.archived && v.status === "ready");
  const options: { value: Choice; label: string }[] = [
    ...(registered?.aliases ?? []).map((a) => ({ value: `alias:${a.alias}` as const, label: `@${a.alias} (v${a.version})` })),
    ...pickable.map((v) => ({ value: `version:${v.version}` as const, label: `v${v.version}` })),
  ];
  const chosen = choice && options.some((o) => o.value === choice) ? choice : (options[0]?.value ?? "");

  return (
    <Card title="Deploy" description="A deploy pins the version it names (an alias is resolved now) in a new revision; the endpoint switches to it at once.">
      <form
        noValidate
        className="grid items-end gap-3 lg:grid-cols-[1fr_1fr_2fr_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          if (!model || !chosen) return;
          deploy.mutate({ name: endpoint.name, model: targetOf(model, chosen), ...(reason.trim() ? { reason: reason.trim() } : {}) });
        }}
      >
        <SelectField
          label="Model"
          name="model"
          value={model}
          onChange={(e) => {
            setPicked(e.target.value);
            setChoice("");
          }}
          error={fieldError("model")}
        >
          {models.data?.length ? null : <option value="">No registered models</option>}
          {models.data?.map((m) => (
            <option key={m.id} value={m.name}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Version or alias" name="target" value={chosen} onChange={(e) => setChoice(e.target.value as Choice)}>
          {options.length ? null : <option value="">{versions.isPending && model ? "Loading…" : "No ready versions"}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why this version" error={fieldError("reason")} />
        <Button type="submit" busy={deploy.isPending} disabled={!model || !chosen || deploy.isPending}>
          Deploy
        </Button>
      </form>
      {failure && !failure.field ? (
        <div className="mt-3">
          <Alert>{failure.message}</Alert>
        </div>
      ) : null}
      {models.isSuccess && !models.data.length ? <p className="mt-3 text-sm text-slate-500">Register a model version first (Models, or train with a model name).</p> : null}
    </Card>
  );
}
