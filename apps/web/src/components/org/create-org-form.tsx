"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { slugRules } from "@gantry/schema/org";

import { Alert } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "")
    .slice(0, 40);

export function CreateOrgForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const create = useMutation(
    trpc.org.create.mutationOptions({
      onSuccess: (org) => {
        router.push(`/o/${org.slug}`);
        router.refresh();
      },
    }),
  );
  const { failure, fieldError } = formErrors(create.error);

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, slug });
      }}
    >
      {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
      <TextField
        label="Organisation name"
        name="name"
        value={name}
        required
        error={fieldError("name")}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugTouched) setSlug(slugify(e.target.value));
        }}
      />
      <TextField
        label="URL slug"
        name="slug"
        value={slug}
        required
        hint={`gantry/o/${slug || "your-team"} — ${slugRules}.`}
        error={fieldError("slug")}
        onChange={(e) => {
          setSlugTouched(true);
          setSlug(e.target.value);
        }}
      />
      <Button type="submit" busy={create.isPending} className="w-full">
        Create organisation
      </Button>
    </form>
  );
}
