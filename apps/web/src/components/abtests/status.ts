import type { AbTest } from "@gantry/schema/abtest-contracts";

export const abTestStatusTone: Record<AbTest["status"], "blue" | "green" | "slate" | "red"> = { running: "blue", promoted: "green", stopped: "slate", rolled_back: "red" };
export const abTestStatusLabel = (status: AbTest["status"]) => status.replace("_", " ");
