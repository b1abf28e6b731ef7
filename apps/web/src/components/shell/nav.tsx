"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { areas, settingsLinks } from "./areas";

export function Nav({ org }: { org: string }) {
  const pathname = usePathname();
  const item = (slug: string, label: string, muted = false) => {
    const href = `/o/${org}/${slug}`;
    const active = pathname === href || pathname.startsWith(`${href}/`);
    return (
      <li key={slug}>
        <Link
          href={href}
          aria-current={active ? "page" : undefined}
          className={`flex items-center justify-between rounded-md px-3 py-1.5 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
        >
          {label}
          {muted ? <span className="text-[10px] uppercase tracking-wide text-slate-400">soon</span> : null}
        </Link>
      </li>
    );
  };
  return (
    <nav aria-label="Main" className="space-y-6">
      <ul className="space-y-0.5">
        <li>
          <Link
            href={`/o/${org}`}
            aria-current={pathname === `/o/${org}` ? "page" : undefined}
            className={`block rounded-md px-3 py-1.5 text-sm ${pathname === `/o/${org}` ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
          >
            Overview
          </Link>
        </li>
        {areas.map((a) => item(a.slug, a.label, !a.ready))}
      </ul>
      <div>
        <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">Organisation</p>
        <ul className="space-y-0.5">{settingsLinks.map((s) => item(s.slug, s.label))}</ul>
      </div>
    </nav>
  );
}
