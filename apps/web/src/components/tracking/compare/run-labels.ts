import type { Run } from "@gantry/schema/tracking-contracts";

import { seriesColors } from "~/components/charts/line-option";

export type LabelledRun = { run: Run; label: string; color: string };

/** Legend names: the run's name, with its id's start where two runs share a name. */
export function labelRuns(runs: Run[]): LabelledRun[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.info.name, (counts.get(r.info.name) ?? 0) + 1);
  return runs.map((run, i) => ({
    run,
    label: (counts.get(run.info.name) ?? 0) > 1 || !run.info.name ? `${run.info.name || "run"} (${run.info.id.slice(0, 8)})` : run.info.name,
    color: seriesColors[i % seriesColors.length] ?? "#2459c9",
  }));
}
