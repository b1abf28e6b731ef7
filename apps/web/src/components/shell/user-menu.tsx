"use client";

import { signOut } from "next-auth/react";

export function UserMenu({ email, role }: { email: string; role: string }) {
  return (
    <div className="flex items-center justify-between gap-2 text-sm">
      <div className="min-w-0">
        <p className="truncate font-medium text-slate-800" title={email}>
          {email}
        </p>
        <p className="text-xs text-slate-500">{role}</p>
      </div>
      <button type="button" className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        Sign out
      </button>
    </div>
  );
}
