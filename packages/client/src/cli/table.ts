/** Left-aligned columns for terminal output. */
export function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ["(none)"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}
