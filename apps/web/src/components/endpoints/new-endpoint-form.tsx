"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { endpointHref } from "./links";

/** Name, description, public or key auth, and an alias to follow; then on to the endpoint's page to deploy. */
export function NewEndpointForm({ org }: { org: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.endpoint.create.mutationOptions({
      onSuccess: async (endpoint) => {
        await queryClient.invalidateQueries(trpc.endpoint.pathFilter());
        router.push(endpointHref(org, endpoint.name));
      },
    }),
  );
  const { failure, fieldError } = formErrors(create.error);
  return (
    <Card title="New endpoint" description="A stable URL per organisation; what it serves is its current revision.">
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (key: string) => String(form.get(key) ?? "").trim();
          create.mutate({
            name: text("name"),
            ...(text("description") ? { description: text("description") } : {}),
            auth: form.get("public") ? "public" : "key",
            ...(text("followAlias") ? { followAlias: text("followAlias") } : {}),
          });
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Endpoint name" name="name" placeholder="churn-scorer" required error={fieldError("name")} hint="Lowercase letters, digits and dashes: it is part of the URL." />
          <TextField label="Description (optional)" name="description" error={fieldError("description")} />
          <TextField
            label="Follow alias (optional)"
            name="followAlias"
            placeholder="champion"
            error={fieldError("followAlias")}
            hint="When this alias moves to another version of the served model, the endpoint redeploys to it."
          />
          <label className="flex items-start gap-2 self-center text-sm">
            <input type="checkbox" name="public" className="mt-0.5" />
            <span>
              <span className="font-medium">Public</span> <span className="text-slate-500">— anyone with the URL may predict (no API key)</span>
            </span>
          </label>
        </div>
        {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
        <Button type="submit" busy={create.isPending}>
          Create endpoint
        </Button>
      </form>
    </Card>
  );
}
