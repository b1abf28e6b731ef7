"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { AbTestResults } from "@gantry/schema/abtest-contracts";

import { Button } from "~/components/ui/button";
import { Alert, Card } from "~/components/ui/card";
import { SelectField, TextField } from "~/components/ui/field";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

/** Promote a variant (default: the best so far) or stop the test (the control keeps the traffic), each after a confirmation. */
export function DecisionActions({ results }: { results: AbTestResults }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const test = results.test;
  const [picked, setPicked] = useState("");
  const [reason, setReason] = useState("");
  const variant = picked || results.best || test.variants[1]?.name || "";
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.abtest.pathFilter()), queryClient.invalidateQueries(trpc.endpoint.pathFilter())]);
  const promote = useMutation(trpc.abtest.promote.mutationOptions({ onSuccess: refresh }));
  const stop = useMutation(trpc.abtest.stop.mutationOptions({ onSuccess: refresh }));
  const chosen = test.variants.find((v) => v.name === variant);
  const why = reason.trim() ? { reason: reason.trim() } : {};
  const failed = promote.error ?? stop.error;

  return (
    <Card title="Decide" description={`Promote: the variant serves all traffic${test.promoteAlias ? ` and @${test.promoteAlias} moves to its version` : ""}. Stop: the control serves all traffic, no winner.`}>
      <div className="grid items-end gap-3 lg:grid-cols-[1fr_2fr_auto_auto]">
        <SelectField label="Variant to promote" value={variant} onChange={(e) => setPicked(e.target.value)}>
          {test.variants.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name} ({v.model} v{v.version}){results.best === v.name ? " — best so far" : ""}
            </option>
          ))}
        </SelectField>
        <TextField label="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why this decision" />
        <Button
          busy={promote.isPending}
          disabled={!chosen || promote.isPending || stop.isPending}
          onClick={() =>
            chosen &&
            confirm(`Promote ${chosen.name} (${chosen.model} v${chosen.version})? It serves all of ${test.endpoint}'s traffic at once${test.promoteAlias ? ` and @${test.promoteAlias} moves to it` : ""}.`) &&
            promote.mutate({ id: test.id, variant: chosen.name, ...why })
          }
        >
          Promote
        </Button>
        <Button
          variant="danger"
          busy={stop.isPending}
          disabled={promote.isPending || stop.isPending}
          onClick={() => confirm(`Stop ${test.name}? The control (${test.variants[0]?.model} v${test.variants[0]?.version}) serves all traffic again.`) && stop.mutate({ id: test.id, ...why })}
        >
          Stop test
        </Button>
      </div>
      {failed ? (
        <div className="mt-3">
          <Alert>{errorInfo(failed).message}</Alert>
        </div>
      ) : null}
    </Card>
  );
}
