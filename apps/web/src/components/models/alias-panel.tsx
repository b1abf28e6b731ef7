"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { ModelVersion, RegisteredModel } from "@gantry/schema/registry-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { SelectField, TextField } from "~/components/ui/field";
import { Table, Td } from "~/components/ui/table";
import { errorInfo, formErrors } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const versionLabel = (v: number | null) => (v === null ? "—" : `v${v}`);

/** Set, move or remove an alias (with a reason), and every past move. */
export function AliasPanel({ model, versions }: { model: RegisteredModel; versions: ModelVersion[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [alias, setAliasName] = useState("champion");
  const [version, setVersion] = useState("");
  const [reason, setReason] = useState("");
  const history = useQuery(trpc.model.aliasHistory.queryOptions({ name: model.name }));
  const refresh = async () => {
    setReason("");
    await queryClient.invalidateQueries(trpc.model.pathFilter());
  };
  const set = useMutation(trpc.model.setAlias.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.model.deleteAlias.mutationOptions({ onSuccess: refresh }));
  const { failure, fieldError } = formErrors(set.error);
  const pickable = versions.filter((v) => !v.archived);
  const chosen = version || String(pickable[0]?.version ?? "");
  const current = model.aliases.find((a) => a.alias === alias.trim());

  return (
    <Card title="Aliases" description="An alias names one version; moving it is how the rest of Gantry switches models. Every move is kept with its reason.">
      <div className="space-y-5">
        {model.aliases.length ? (
          <ul className="flex flex-wrap gap-2" aria-label="Current aliases">
            {model.aliases.map((a) => (
              <li key={a.alias} className="flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-2 text-xs text-brand-700">
                @{a.alias} → v{a.version}
                <button
                  type="button"
                  className="rounded-full px-1 text-brand-700 hover:bg-brand-100"
                  aria-label={`Remove alias ${a.alias}`}
                  onClick={() => {
                    const why = prompt(`Remove @${a.alias} from v${a.version}? Reason (optional):`);
                    if (why !== null) remove.mutate({ name: model.name, alias: a.alias, ...(why.trim() ? { reason: why.trim() } : {}) });
                  }}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No aliases yet.</p>
        )}
        <form
          noValidate
          className="grid items-end gap-3 sm:grid-cols-[1fr_8rem_2fr_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            if (!chosen) return;
            set.mutate({ name: model.name, alias: alias.trim(), version: Number(chosen), ...(reason.trim() ? { reason: reason.trim() } : {}) });
          }}
        >
          <TextField label="Alias" name="alias" value={alias} onChange={(e) => setAliasName(e.target.value)} error={fieldError("alias")} />
          <SelectField label="Version" name="version" value={chosen} onChange={(e) => setVersion(e.target.value)} error={fieldError("version")}>
            {pickable.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </SelectField>
          <TextField label="Reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why this version" error={fieldError("reason")} />
          <Button type="submit" busy={set.isPending} disabled={!chosen || set.isPending}>
            {current ? "Move alias" : "Set alias"}
          </Button>
        </form>
        {failure && !failure.field ? <Alert>{failure.message}</Alert> : null}
        {remove.error ? <Alert>{errorInfo(remove.error).message}</Alert> : null}
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">History</h3>
          {history.error ? <Alert>{errorInfo(history.error).message}</Alert> : null}
          {history.data?.length === 0 ? <EmptyState>No alias has been set yet.</EmptyState> : null}
          {history.data?.length ? (
            <Table head={["When", "Alias", "From", "To", "Who", "Reason"]} caption="Alias history">
              {history.data.map((h) => (
                <tr key={h.id}>
                  <Td className="whitespace-nowrap text-slate-600">{h.createdAt.toLocaleString()}</Td>
                  <Td>
                    <Badge tone="blue">@{h.alias}</Badge>
                  </Td>
                  <Td className="tabular-nums">{versionLabel(h.fromVersion)}</Td>
                  <Td className="tabular-nums">{h.toVersion === null ? "removed" : versionLabel(h.toVersion)}</Td>
                  <Td className="text-slate-600">{h.actorLabel}</Td>
                  <Td className="max-w-xs text-slate-600">{h.reason ?? ""}</Td>
                </tr>
              ))}
            </Table>
          ) : null}
        </div>
      </div>
    </Card>
  );
}
