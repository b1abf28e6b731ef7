"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { DeploymentRevision, EndpointDetail } from "@gantry/schema/serving-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Badge, Card, EmptyState } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const servedBy = (r: DeploymentRevision) =>
  r.policy.variants
    .map((v) => `${v.model} v${v.version}${v.via ? ` @${v.via}` : ""}`)
    .join(", ");

/** Every revision, newest first: who deployed what, when and why; any earlier one is one click (and a confirmation) away. */
export function RevisionsTable({ endpoint }: { endpoint: EndpointDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rollback = useMutation(trpc.endpoint.rollback.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.endpoint.pathFilter()) }));
  return (
    <Card title="Revisions" description="Revisions never change: a rollback is a new revision that copies an earlier one.">
      {rollback.error ? <Alert>{errorInfo(rollback.error).message}</Alert> : null}
      {endpoint.revisions.length === 0 ? <EmptyState>Nothing deployed yet.</EmptyState> : null}
      {endpoint.revisions.length ? (
        <Table head={["Revision", "Model", "When", "Who", "Why", ""]} caption="Revisions">
          {endpoint.revisions.map((r) => {
            const current = r.revision === endpoint.revision;
            return (
              <tr key={r.id}>
                <Td className="whitespace-nowrap tabular-nums">
                  r{r.revision} {current ? <Badge tone="green">current</Badge> : null}
                </Td>
                <Td>
                  {servedBy(r)}
                  {r.rolledBackFrom !== null ? <p className="text-xs text-slate-500">rollback to r{r.rolledBackFrom}</p> : null}
                </Td>
                <Td className="whitespace-nowrap text-slate-600">{r.createdAt.toLocaleString()}</Td>
                <Td className="text-slate-600">{r.deployedBy}</Td>
                <Td className="max-w-xs text-slate-600">{r.reason ?? ""}</Td>
                <Td className="text-right">
                  {current ? null : (
                    <Button
                      variant="secondary"
                      className="whitespace-nowrap"
                      aria-label={`Roll back to revision ${r.revision}`}
                      busy={rollback.isPending && rollback.variables?.revision === r.revision}
                      disabled={rollback.isPending}
                      onClick={() => confirm(`Roll back ${endpoint.name} to revision ${r.revision} (${servedBy(r)})? It switches at once.`) && rollback.mutate({ name: endpoint.name, revision: r.revision })}
                    >
                      Roll back
                    </Button>
                  )}
                </Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
    </Card>
  );
}
