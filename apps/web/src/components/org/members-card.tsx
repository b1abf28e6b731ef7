"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { roles } from "@gantry/schema/org";

import { Alert, Badge, Card } from "~/components/ui/card";
import { Button } from "~/components/ui/button";
import { Table, Td } from "~/components/ui/table";
import { errorInfo } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

export function MembersCard({ meId }: { meId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.org.current.queryOptions());
  const members = useQuery(trpc.member.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: refresh }));
  const leave = useMutation(trpc.member.leave.mutationOptions({ onSuccess: () => router.push("/") }));
  const myRole = current.data?.role;
  const canManage = myRole === "admin" || myRole === "owner";
  const failure = changeRole.error ?? remove.error ?? leave.error;

  return (
    <Card title="Members" description="Owners and admins manage members; the last owner cannot leave or be demoted.">
      {failure ? <Alert>{errorInfo(failure).message}</Alert> : null}
      {members.error ? <Alert>{errorInfo(members.error).message}</Alert> : null}
      <Table head={["Member", "Role", "Joined", ""]} caption="Members">
        {(members.data ?? []).map((m) => {
          const mayEdit = canManage && m.userId !== meId && (myRole === "owner" || m.role !== "owner");
          return (
            <tr key={m.userId}>
              <Td>
                <p className="font-medium">{m.name ?? m.email}</p>
                <p className="text-xs text-slate-500">{m.email}</p>
              </Td>
              <Td>
                {mayEdit ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as (typeof roles)[number] })}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                  >
                    {roles.filter((r) => myRole === "owner" || r !== "owner").map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge tone={m.role === "owner" ? "blue" : "slate"}>{m.role}</Badge>
                )}
              </Td>
              <Td className="text-slate-500">{m.joinedAt.toLocaleDateString()}</Td>
              <Td className="text-right">
                {m.userId === meId ? (
                  <Button variant="secondary" busy={leave.isPending} onClick={() => confirm("Leave this organisation?") && leave.mutate()}>
                    Leave
                  </Button>
                ) : mayEdit ? (
                  <Button variant="danger" busy={remove.isPending && remove.variables?.userId === m.userId} onClick={() => confirm(`Remove ${m.email}?`) && remove.mutate({ userId: m.userId })}>
                    Remove
                  </Button>
                ) : null}
              </Td>
            </tr>
          );
        })}
      </Table>
    </Card>
  );
}
