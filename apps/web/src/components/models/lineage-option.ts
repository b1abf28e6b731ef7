import type { LineageEdge, LineageNode } from "@gantry/schema/registry-contracts";

import type { ChartOption } from "../charts/echart";

/** Left to right: where the data came from, the run, the versions, what serves them. */
const layerOf: Record<LineageNode["kind"], number> = { dataset_version: 0, job: 0, run: 1, model_version: 2, endpoint: 3, ab_test: 3 };
const colorOf: Record<LineageNode["kind"], string> = { dataset_version: "#0ea5e9", job: "#a855f7", run: "#10b981", model_version: "#6366f1", endpoint: "#f59e0b", ab_test: "#ef4444" };
export const lineageKindLabel: Record<LineageNode["kind"], string> = { dataset_version: "Dataset version", job: "Job", run: "Run", model_version: "Model version", endpoint: "Endpoint", ab_test: "A/B test" };

const COLUMN = 240;
const ROW = 70;

/** Nodes placed in their layer's column, stacked in the order given; the rows of a column are centred. */
export function lineageLayout(nodes: LineageNode[]): Map<string, { x: number; y: number }> {
  const columns = new Map<number, LineageNode[]>();
  for (const n of nodes) columns.set(layerOf[n.kind], [...(columns.get(layerOf[n.kind]) ?? []), n]);
  const out = new Map<string, { x: number; y: number }>();
  for (const [layer, members] of columns) {
    members.forEach((n, i) => out.set(n.id, { x: layer * COLUMN, y: (i - (members.length - 1) / 2) * ROW }));
  }
  return out;
}

/** The lineage as an echarts `graph` series with fixed positions; a node's data keeps its id for clicks. */
export function lineageOption(nodes: LineageNode[], edges: LineageEdge[]): ChartOption {
  const positions = lineageLayout(nodes);
  return {
    animation: false,
    tooltip: { formatter: (p: { dataType?: string; data?: { kind?: LineageNode["kind"]; value?: string } }) => (p.dataType === "node" && p.data?.kind ? `${lineageKindLabel[p.data.kind]}: ${p.data.value ?? ""}` : "") },
    series: [
      {
        type: "graph",
        layout: "none",
        roam: true,
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 8,
        label: { show: true, position: "bottom", formatter: "{c}", fontSize: 11 },
        lineStyle: { color: "#94a3b8", width: 1.5 },
        data: nodes.map((n) => ({
          name: n.id,
          value: n.label,
          kind: n.kind,
          ...positions.get(n.id),
          symbol: n.kind === "model_version" ? "roundRect" : "circle",
          symbolSize: n.focus ? 26 : 18,
          itemStyle: { color: colorOf[n.kind], borderColor: n.focus ? "#1e293b" : "#fff", borderWidth: n.focus ? 3 : 1 },
        })),
        // Another version trained on the same data skips the run's column: curved and dashed, it does not read as that run's output.
        links: edges.map((e) => ({ source: e.from, target: e.to, ...(e.kind === "trained_on" ? { lineStyle: { type: "dashed", curveness: 0.25 } } : {}) })),
      },
    ],
  };
}
