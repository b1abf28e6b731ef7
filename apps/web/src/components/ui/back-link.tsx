import Link from "next/link";
import type { ReactNode } from "react";

/** The "← parent" link above a page's title. */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="mb-2 text-sm">
      <Link href={href} className="text-brand-600 hover:underline">
        ← {children}
      </Link>
    </p>
  );
}
