import type { AbTestResults } from "@gantry/schema/abtest-contracts";

/* How A/B results read: rates and lifts as percents, the rest with four significant digits. */

export const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`);
export const signedPercent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : `${x > 0 ? "+" : ""}${(x * 100).toFixed(digits)}%`);
export const decimal = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : Number(x.toPrecision(4)).toString());
export const pValue = (p: number | null | undefined) => (p === null || p === undefined ? "—" : p < 0.0001 ? "< 0.0001" : p.toFixed(4));

export const isRate = (metric: AbTestResults["metric"]) => metric === "conversion" || metric === "accuracy";

/** The metric's value per variant: a rate as a percent, a mean as a number. */
export const metricValue = (metric: AbTestResults["metric"], mean: number | null) => (isRate(metric) ? percent(mean, 2) : decimal(mean));

type Variant = AbTestResults["variants"][number];

/** A treatment's lift: relative when defined (as a percent), else absolute; with its CI. */
export function liftText(v: Variant): { lift: string; ci: string } {
  if (v.relative) return { lift: signedPercent(v.relative.effect), ci: `[${signedPercent(v.relative.ci[0])}, ${signedPercent(v.relative.ci[1])}]` };
  if (v.absolute) return { lift: decimal(v.absolute.effect), ci: `[${decimal(v.absolute.ci[0])}, ${decimal(v.absolute.ci[1])}]` };
  return { lift: "—", ci: "—" };
}

export const verdictTone: Record<AbTestResults["verdict"]["decision"], "green" | "blue" | "slate" | "red" | "amber"> = {
  promote: "green",
  keep_collecting: "blue",
  no_difference: "slate",
  rollback: "red",
  invalid: "amber",
};
