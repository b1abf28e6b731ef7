/**
 * The metrics a versions table shows: keys every version's snapshot has (test metrics first,
 * then the rest alphabetically), at most `limit`. Versions without any metric do not count.
 */
export function keyMetrics(snapshots: Record<string, number>[], limit = 4): string[] {
  const withMetrics = snapshots.filter((s) => Object.keys(s).length > 0);
  const [first, ...rest] = withMetrics;
  if (!first) return [];
  const common = Object.keys(first).filter((k) => rest.every((s) => k in s));
  const rank = (k: string) => (k.startsWith("test_") ? 0 : k.startsWith("val_") ? 2 : 1);
  return common.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, limit);
}
