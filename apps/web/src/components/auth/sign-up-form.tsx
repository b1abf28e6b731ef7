"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { passwordRules } from "@gantry/schema/auth";

import { Alert } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [signInError, setSignInError] = useState<string | null>(null);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const { failure, fieldError } = formErrors(signUp.error);

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const input = { name: String(form.get("name")), email: String(form.get("email")), password: String(form.get("password")) };
        try {
          await signUp.mutateAsync(input);
        } catch {
          return;
        }
        const result = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
        if (!result || result.error) return setSignInError("Your account was created, but signing in failed. Try signing in.");
        router.push(callbackUrl);
        router.refresh();
      }}
    >
      {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
      {signInError ? <Alert>{signInError}</Alert> : null}
      <TextField label="Name" name="name" autoComplete="name" required error={fieldError("name")} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={fieldError("email")} />
      <TextField label="Password" name="password" type="password" autoComplete="new-password" required hint={`Use ${passwordRules}.`} error={fieldError("password")} />
      <Button type="submit" busy={signUp.isPending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
