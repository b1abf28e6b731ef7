export { createMonitor, getMonitor, listMonitors, updateMonitor, deleteMonitor, runMonitor } from "./monitors";
export { evaluateMonitor, evaluateDueMonitors, type MonitorRow } from "./evaluate";
