import type { AbTestResults } from "@gantry/schema/abtest-contracts";

import { Badge } from "~/components/ui/card";
import { Table, Td } from "~/components/ui/table";

import { liftText, metricValue, percent, pValue, verdictTone } from "./format";

const metricHeading: Record<AbTestResults["metric"], string> = { conversion: "Conversion", mean_reward: "Mean reward", accuracy: "Accuracy", log_loss: "Log loss", rmse: "MSE" };

/** Per variant: units, the metric, and for each treatment its lift over the control with the CI, both p-values and the chance to beat it. */
export function ResultsTable({ results }: { results: AbTestResults }) {
  const unitLabel = results.metric === "conversion" || results.metric === "mean_reward" ? "Units" : "Labelled rows";
  return (
    <Table head={["Variant", unitLabel, metricHeading[results.metric], "Lift", "CI", "p-value", "Seq. p", "P(beats control)"]} caption="Results per variant">
      {results.variants.map((v) => {
        const { lift, ci } = liftText(v);
        return (
          <tr key={v.name}>
            <Td className="whitespace-nowrap">
              <span className="font-medium">{v.name}</span> {v.control ? <Badge>control</Badge> : null}
              {results.best === v.name && !v.control ? <Badge tone="green">best</Badge> : null}
              <span className="block text-xs text-slate-500">
                {v.model} v{v.version}
              </span>
            </Td>
            <Td className="tabular-nums">
              <span data-testid={`units-${v.name}`}>{v.units.toLocaleString("en-US")}</span>
            </Td>
            <Td className="tabular-nums">{metricValue(results.metric, v.mean)}</Td>
            <Td className="tabular-nums">{v.control ? "" : lift}</Td>
            <Td className="whitespace-nowrap tabular-nums text-slate-600">{v.control ? "" : ci}</Td>
            <Td className="tabular-nums">{v.control ? "" : pValue(v.pValue)}</Td>
            <Td className="tabular-nums">{v.control ? "" : pValue(v.sequentialPValue)}</Td>
            <Td className="tabular-nums">
              {v.control ? "" : percent(v.chanceToBeatControl)}
              {v.verdict && results.variants.length > 2 ? (
                <span className="block">
                  <Badge tone={verdictTone[v.verdict.decision]}>{v.verdict.decision.replace("_", " ")}</Badge>
                </span>
              ) : null}
            </Td>
          </tr>
        );
      })}
    </Table>
  );
}
