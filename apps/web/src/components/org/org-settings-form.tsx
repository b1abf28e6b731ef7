"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { slugRules } from "@gantry/schema/org";

import { Alert, Card } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { errorInfo, formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function OrgSettingsForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.org.current.queryOptions());
  const [draft, setDraft] = useState<{ name: string; slug: string } | null>(null);
  const rename = useMutation(
    trpc.org.rename.mutationOptions({
      onSuccess: async (org) => {
        await queryClient.invalidateQueries({ queryKey: trpc.org.current.queryKey() });
        setDraft(null);
        if (org.slug !== current.data?.slug) router.replace(`/o/${org.slug}/settings`);
        router.refresh();
      },
    }),
  );
  if (!current.data) return <Card>{current.error ? <Alert>{errorInfo(current.error).message}</Alert> : "Loading…"}</Card>;
  const canEdit = current.data.role === "admin" || current.data.role === "owner";
  const values = draft ?? { name: current.data.name, slug: current.data.slug };
  const { failure, fieldError } = formErrors(rename.error);

  return (
    <Card title="General" description={canEdit ? undefined : "Only admins and owners can change these."}>
      <form
        className="max-w-md space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate(values);
        }}
      >
        {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
        {rename.isSuccess && !draft ? <Alert tone="success">Saved.</Alert> : null}
        <TextField label="Name" value={values.name} disabled={!canEdit} error={fieldError("name")} onChange={(e) => setDraft({ ...values, name: e.target.value })} />
        <TextField label="URL slug" value={values.slug} disabled={!canEdit} hint={slugRules} error={fieldError("slug")} onChange={(e) => setDraft({ ...values, slug: e.target.value })} />
        {canEdit ? (
          <Button type="submit" busy={rename.isPending}>
            Save
          </Button>
        ) : null}
      </form>
    </Card>
  );
}
