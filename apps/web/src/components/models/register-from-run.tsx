"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import type { ModelVersion } from "@gantry/schema/registry-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

import { modelVersionHref } from "./links";

const PIPELINE = "model/pipeline.json";

/**
 * "Register model" on a finished run that saved a model: the run's pipeline becomes the next
 * version of the named model (created when missing), and the alias, if given, moves to it.
 */
export function RegisterFromRun({ org, runId, finished }: { org: string; runId: string; finished: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listing = useQuery({ ...trpc.run.artifacts.queryOptions({ runId, path: "model" }), enabled: finished });
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [alias, setAlias] = useState("");
  const [registered, setRegistered] = useState<ModelVersion | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.model.pathFilter());
  const setAliasMutation = useMutation(trpc.model.setAlias.mutationOptions({ onSuccess: async (v) => (setRegistered(v), refresh()) }));
  const register = useMutation(
    trpc.model.register.mutationOptions({
      onSuccess: async (v) => {
        setRegistered(v);
        if (alias.trim()) setAliasMutation.mutate({ name: v.name, alias: alias.trim(), version: v.version, reason: `registered from run ${runId.slice(0, 8)}` });
        await refresh();
      },
    }),
  );
  const { failure, fieldError } = formErrors(register.error ?? setAliasMutation.error);
  if (!finished || !listing.data?.files.some((f) => f.path === PIPELINE)) return null;

  return (
    <Card
      title="Model registry"
      description="This run saved a model. Register it as the next version of a model to give it a version number, an alias and a model card."
      actions={
        open ? undefined : (
          <Button onClick={() => setOpen(true)} variant="secondary">
            Register model
          </Button>
        )
      }
    >
      {registered ? (
        <Alert tone="success">
          Registered as{" "}
          <Link className="font-medium underline" href={modelVersionHref(org, registered.name, registered.version)}>
            {registered.name} v{registered.version}
          </Link>
          {registered.aliases.length ? ` (@${registered.aliases.join(", @")})` : ""}.
        </Alert>
      ) : null}
      {open ? (
        <form
          noValidate
          className="mt-3 grid items-end gap-3 sm:grid-cols-[2fr_1fr_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            setRegistered(null);
            register.mutate({ name: name.trim(), runId });
          }}
        >
          <TextField label="Model name" name="model" value={name} onChange={(e) => setName(e.target.value)} error={fieldError("name")} />
          <TextField label="Alias (optional)" name="alias" value={alias} placeholder="champion" onChange={(e) => setAlias(e.target.value)} error={fieldError("alias")} />
          <Button type="submit" busy={register.isPending || setAliasMutation.isPending} disabled={!name.trim()}>
            Register
          </Button>
        </form>
      ) : null}
      {failure && failure.field !== "name" && failure.field !== "alias" ? (
        <div className="mt-3">
          <Alert>{failure.message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
