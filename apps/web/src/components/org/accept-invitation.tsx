"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { Alert } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (org) => {
        router.push(`/o/${org.slug}`);
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {accept.error ? <Alert>{errorInfo(accept.error).message}</Alert> : null}
      <Button className="w-full" busy={accept.isPending} onClick={() => accept.mutate({ token })}>
        Accept invitation
      </Button>
    </div>
  );
}
