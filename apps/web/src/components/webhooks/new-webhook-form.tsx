"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { webhookEvents } from "@gantry/schema/monitoring";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { CopyField } from "~/components/ui/copy-field";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

type Event = (typeof webhookEvents)[number];

/** A new webhook: its URL and events; the signing secret is shown once, here. */
export function NewWebhookForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation(
    trpc.webhook.create.mutationOptions({
      onSuccess: async (w) => {
        setSecret({ name: w.name, secret: w.secret });
        await queryClient.invalidateQueries(trpc.webhook.pathFilter());
      },
    }),
  );
  const { failure, fieldError } = formErrors(create.error);
  return (
    <Card title="New webhook" description="Alerts are POSTed as JSON, signed (HMAC-SHA256 of the timestamp and body) under the webhook's secret, and retried with backoff until they succeed.">
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setSecret(null);
          create.mutate({ name: String(form.get("name") ?? "").trim(), url: String(form.get("url") ?? "").trim(), events: form.getAll("events").map(String) as Event[] });
        }}
      >
        <div className="grid gap-4 md:grid-cols-2">
          <TextField label="Webhook name" name="name" placeholder="ops-pager" error={fieldError("name")} />
          <TextField label="URL" name="url" type="url" placeholder="https://hooks.example.com/gantry" error={fieldError("url")} />
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-2 flex flex-wrap gap-6">
            {webhookEvents.map((ev) => (
              <label key={ev} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="events" value={ev} defaultChecked />
                <span className="font-mono text-xs">{ev}</span>
              </label>
            ))}
          </div>
          {fieldError("events") ? (
            <p role="alert" className="mt-1 text-sm text-red-600">
              {fieldError("events")}
            </p>
          ) : null}
        </fieldset>
        {failure && !["name", "url", "events"].includes(failure.field ?? "") ? <Alert>{failure.message}</Alert> : null}
        <Button type="submit" busy={create.isPending}>
          Create webhook
        </Button>
      </form>
      {secret ? (
        <div className="mt-4 space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3">
          <CopyField label={`Signing secret of ${secret.name} (copy it now: it is not shown again)`} value={secret.secret} testId="webhook-secret" />
          <p className="text-xs text-slate-600">Verify X-Gantry-Signature: sha256= the hex HMAC-SHA256, under this secret, of X-Gantry-Timestamp, a dot and the raw body.</p>
        </div>
      ) : null}
    </Card>
  );
}
