"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { Alert, Card } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function CreateExperimentForm({ org }: { org: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.experiment.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        setDescription("");
        await queryClient.invalidateQueries({ queryKey: trpc.experiment.list.queryKey() });
      },
    }),
  );
  const { failure, fieldError } = formErrors(create.error);

  return (
    <Card title="New experiment" description="Runs are logged into an experiment. MLflow clients can create one too (mlflow.set_experiment).">
      <form
        className="grid items-start gap-4 md:grid-cols-[1fr_2fr_auto]"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, ...(description.trim() ? { description: description.trim() } : {}) });
        }}
      >
        <TextField label="Name" name="name" value={name} required error={fieldError("name")} onChange={(e) => setName(e.target.value)} placeholder="churn-model" />
        <TextField label="Description (optional)" name="description" value={description} error={fieldError("description")} onChange={(e) => setDescription(e.target.value)} />
        <Button type="submit" busy={create.isPending} className="md:mt-6">
          Create experiment
        </Button>
      </form>
      {failure && !failure.field ? (
        <div className="mt-4">
          <Alert>{failure.message}</Alert>
        </div>
      ) : null}
      {create.isSuccess ? (
        <div className="mt-4">
          <Alert tone="success">
            Created{" "}
            <Link className="font-medium underline" href={`/o/${org}/experiments/${create.data.id}`}>
              {create.data.name}
            </Link>
            .
          </Alert>
        </div>
      ) : null}
    </Card>
  );
}
