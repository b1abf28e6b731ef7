import type { Table } from "@gantry/ml";

/**
 * Parsed dataset versions, kept between jobs of one worker: versions are immutable, and sweeps,
 * retries and schedules train on the same version again and again. Bounded by cells (the
 * training limit's unit), least recently used first out. Keyed by org and version id, so a
 * cached table only ever serves the org whose job loaded it. Training never mutates a table.
 */
export function createTableCache(maxCells: number) {
  const entries = new Map<string, { table: Table; cells: number }>();
  let cells = 0;
  return {
    async get(orgId: string, versionId: string, load: () => Promise<Table>): Promise<{ table: Table; cached: boolean }> {
      const key = `${orgId}/${versionId}`;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return { table: hit.table, cached: true };
      }
      const table = await load();
      const size = table.rows.length * table.columns.length;
      if (size <= maxCells) {
        entries.set(key, { table, cells: size });
        cells += size;
        for (const [oldest, entry] of entries) {
          if (cells <= maxCells) break;
          entries.delete(oldest);
          cells -= entry.cells;
        }
      }
      return { table, cached: false };
    },
    get size() {
      return entries.size;
    },
  };
}

export type TableCache = ReturnType<typeof createTableCache>;
