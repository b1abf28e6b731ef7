"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { scopes } from "@gantry/schema/api-key";

import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { CopyField } from "~/components/ui/copy-field";
import { TextField } from "~/components/ui/field";
import { Table, Td } from "~/components/ui/table";
import { errorInfo, formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const scopeHelp: Record<(typeof scopes)[number], string> = {
  read: "read everything in the org",
  write: "log runs, upload data, train, deploy",
  predict: "call model endpoints",
  admin: "manage members, keys and settings",
};

export function ApiKeysCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const keys = useQuery(trpc.apiKey.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (created) => {
        setSecret(created.secret);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions({ onSuccess: refresh }));
  const { failure, fieldError } = formErrors(create.error);

  return (
    <div className="space-y-6">
      <Card title="Create a key" description="A key acts inside this organisation with its scopes only. Its secret is shown once.">
        <form
          className="space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const expires = String(form.get("expiresAt") ?? "");
            setSecret(null);
            create.mutate({
              name: String(form.get("name") ?? ""),
              scopes: form.getAll("scopes").map(String) as (typeof scopes)[number][],
              ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`) } : {}),
            });
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="name" placeholder="laptop, ci, notebook…" required error={fieldError("name")} />
            <TextField label="Expires (optional)" name="expiresAt" type="date" error={fieldError("expiresAt")} />
          </div>
          <fieldset aria-describedby={fieldError("scopes") ? "scopes-error" : undefined}>
            <legend className="text-sm font-medium text-slate-700">Scopes</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {scopes.map((s) => (
                <label key={s} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={s} defaultChecked={s === "read"} className="mt-0.5" />
                  <span>
                    <span className="font-medium">{s}</span> <span className="text-slate-500">— {scopeHelp[s]}</span>
                  </span>
                </label>
              ))}
            </div>
            {fieldError("scopes") ? (
              <p id="scopes-error" role="alert" className="mt-1 text-sm text-red-600">
                {fieldError("scopes")}
              </p>
            ) : null}
          </fieldset>
          {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
          <Button type="submit" busy={create.isPending}>
            Create key
          </Button>
        </form>
        {secret ? (
          <div className="mt-4 space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3">
            <CopyField label="Your new API key (copy it now: it is not shown again)" value={secret} testId="api-key-secret" />
          </div>
        ) : null}
      </Card>

      <Card title="Keys">
        {keys.error ? <Alert>{errorInfo(keys.error).message}</Alert> : null}
        {keys.data?.length === 0 ? <EmptyState>No keys yet.</EmptyState> : null}
        {keys.data?.length ? (
          <Table head={["Name", "Key", "Scopes", "Created by", "Last used", "Expires", ""]} caption="API keys">
            {keys.data.map((k) => {
              const expired = k.expiresAt !== null && k.expiresAt <= new Date();
              return (
                <tr key={k.id} className={k.revokedAt || expired ? "text-slate-400" : undefined}>
                  <Td className="font-medium">{k.name}</Td>
                  <Td>
                    <code className="text-xs">{k.prefix}_…</code>
                  </Td>
                  <Td>
                    <div className="flex flex-wrap gap-1">
                      {k.scopes.map((s) => (
                        <Badge key={s}>{s}</Badge>
                      ))}
                    </div>
                  </Td>
                  <Td>{k.createdBy?.email ?? "—"}</Td>
                  <Td>{k.lastUsedAt ? k.lastUsedAt.toLocaleString() : "never"}</Td>
                  <Td>{k.expiresAt ? k.expiresAt.toLocaleDateString() : "never"}</Td>
                  <Td className="text-right">
                    {k.revokedAt ? (
                      <Badge tone="red">revoked</Badge>
                    ) : expired ? (
                      <Badge tone="amber">expired</Badge>
                    ) : (
                      <Button variant="danger" busy={revoke.isPending && revoke.variables?.id === k.id} onClick={() => confirm(`Revoke ${k.name}? Clients using it stop working.`) && revoke.mutate({ id: k.id })}>
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              );
            })}
          </Table>
        ) : null}
        {revoke.error ? <Alert>{errorInfo(revoke.error).message}</Alert> : null}
      </Card>
    </div>
  );
}
