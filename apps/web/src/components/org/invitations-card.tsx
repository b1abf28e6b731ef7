"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { CopyField } from "~/components/ui/copy-field";
import { SelectField, TextField } from "~/components/ui/field";
import { Table, Td } from "~/components/ui/table";
import { errorInfo, formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const statusTone = { pending: "amber", accepted: "green", revoked: "slate", expired: "red" } as const;

export function InvitationsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const invitations = useQuery(trpc.invitation.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() });
  const create = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: async ({ token }) => {
        setLink(`${window.location.origin}/invite/${token}`);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions({ onSuccess: refresh }));
  const { failure, fieldError } = formErrors(create.error);

  return (
    <Card title="Invitations" description="An invitation is a one-time link; send it however you like. No mail server needed.">
      <form
        className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const email = String(form.get("email") ?? "").trim();
          create.mutate({ role: form.get("role") as "viewer" | "member" | "admin", ...(email ? { email } : {}) });
        }}
      >
        <TextField label="Email (optional: only this address may accept)" name="email" type="email" error={fieldError("email")} />
        <SelectField label="Role" name="role" defaultValue="member" error={fieldError("role")}>
          <option value="viewer">viewer</option>
          <option value="member">member</option>
          <option value="admin">admin</option>
        </SelectField>
        <Button type="submit" busy={create.isPending}>
          Create link
        </Button>
      </form>
      {failure && !failure.field ? (
        <div className="mt-3">
          <Alert>{failure.message}</Alert>
        </div>
      ) : null}
      {link ? (
        <div className="mt-4 space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3">
          <CopyField label="Invitation link (shown once)" value={link} testId="invitation-link" />
        </div>
      ) : null}
      <div className="mt-4">
        {invitations.error ? <Alert>{errorInfo(invitations.error).message}</Alert> : null}
        {invitations.data?.length === 0 ? <EmptyState>No invitations yet.</EmptyState> : null}
        {invitations.data?.length ? (
          <Table head={["Role", "For", "Status", "Expires", ""]} caption="Invitations">
            {invitations.data.map((i) => (
              <tr key={i.id}>
                <Td>{i.role}</Td>
                <Td className="text-slate-600">{i.email ?? "anyone with the link"}</Td>
                <Td>
                  <Badge tone={statusTone[i.status]}>{i.status}</Badge>
                </Td>
                <Td className="text-slate-500">{i.expiresAt.toLocaleString()}</Td>
                <Td className="text-right">
                  {i.status === "pending" ? (
                    <Button variant="danger" busy={revoke.isPending && revoke.variables?.id === i.id} onClick={() => revoke.mutate({ id: i.id })}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
        ) : null}
      </div>
    </Card>
  );
}
