import type { ReactNode } from "react";
import { isValidElement } from "react";

/** A header cell that needs more than its content: a sort state (aria-sort) or a class. */
export type HeadCell = { label: ReactNode; sort?: "ascending" | "descending"; className?: string };

const isHeadCell = (h: ReactNode | HeadCell): h is HeadCell => typeof h === "object" && h !== null && !isValidElement(h) && "label" in h;

export function Table({ head, children, caption }: { head: (ReactNode | HeadCell)[]; children: ReactNode; caption?: string }) {
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-slate-50">
          <tr>
            {head.map((h, i) => {
              const cell = isHeadCell(h) ? h : { label: h };
              return (
                <th key={i} scope="col" aria-sort={cell.sort} className={`px-5 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 ${cell.className ?? ""}`}>
                  {cell.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <td className={`px-5 py-2.5 align-middle ${className}`}>{children}</td>;
}
